package release

import (
	"regexp"
	"strconv"
	"strings"
)

// Version is an antrid version as its build records it (`-X main.version=…`, what
// `antrid version` prints), ordered so that an office can tell a newer release from an
// older one:
//
//   - a release is MAJOR.MINOR.PATCH, with or without a leading "v": "1.4.0", "v1.4.0";
//   - a pre-release adds semver identifiers after "-": "1.4.0-rc.1" comes before
//     "1.4.0" and after "1.3.9"; identifiers compare as semver says (numbers as numbers,
//     below words);
//   - a development build made N commits after a tag, as `git describe` names it
//     ("1.4.0-3-gabc1234", "-dirty" when the tree had changes) or as the Debian package
//     does ("1.4.0+3.gabc1234", ".dirty"), comes after that tag and before the next
//     release; two such builds order by N;
//   - anything else ("dev", a bare commit hash "abc1234", the package's "0.0~gabc1234")
//     is an untagged build: it comes before every release, and two of them are not
//     ordered (neither is newer).
//
// Only releases and pre-releases can be signed and published (Publishable): a
// development or untagged build names no reproducible source. An office running one (a
// technician's test build) takes the release headquarters wants for it, since every
// release is newer.
type Version struct {
	raw                 string
	ordered             bool // false: an untagged build
	major, minor, patch int
	pre                 []string
	commits             int // after the tag
	dirty               bool
}

var (
	// semver core, an optional pre-release, then git describe's "-N-gHASH" and "-dirty".
	describeForm = regexp.MustCompile(`^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+?))??(?:-(\d+)-g[0-9a-f]+)?(-dirty)?$`)
	// the Debian package's spelling: "+N.gHASH" and ".dirty"; its build script turns
	// every "-" into ".", so "1.4.0.rc.1" is the pre-release "rc.1".
	debianForm = regexp.MustCompile(`^(\d+)\.(\d+)\.(\d+)(?:\.([A-Za-z][0-9A-Za-z.]*?))??(?:\+(\d+)\.g[0-9a-f]+)?(\.dirty)?$`)
	identifier = regexp.MustCompile(`^[0-9A-Za-z-]+$`)
)

// ParseVersion reads a version. It never fails: what is not a release, pre-release or
// development build of a tag is an untagged build (Ordered is false).
func ParseVersion(s string) Version {
	s = strings.TrimSpace(s)
	v := Version{raw: s}
	m := describeForm.FindStringSubmatch(s)
	if m == nil {
		m = debianForm.FindStringSubmatch(s)
	}
	if m == nil {
		return v
	}
	nums := [3]int{}
	for i := range nums {
		n, err := strconv.Atoi(m[i+1])
		if err != nil || (len(m[i+1]) > 1 && m[i+1][0] == '0') {
			return v // overflow or a leading zero: not semver
		}
		nums[i] = n
	}
	if m[4] != "" {
		for _, id := range strings.Split(m[4], ".") {
			if !identifier.MatchString(id) {
				return v
			}
			v.pre = append(v.pre, id)
		}
	}
	if m[5] != "" {
		v.commits, _ = strconv.Atoi(m[5])
	}
	v.major, v.minor, v.patch = nums[0], nums[1], nums[2]
	v.dirty = m[6] != ""
	v.ordered = true
	return v
}

// String is the version as written.
func (v Version) String() string { return v.raw }

// Ordered reports whether v is a release, pre-release or development build of a tag:
// false for untagged builds, which come before every ordered version.
func (v Version) Ordered() bool { return v.ordered }

// Publishable reports whether v may be signed and published: a release or
// pre-release, not a development build.
func (v Version) Publishable() bool { return v.ordered && v.commits == 0 && !v.dirty }

// Compare is -1, 0 or +1 as a is older than, as old as, or newer than b. Two untagged
// builds compare 0 (neither is newer); so do two builds of the same commit distance
// from one tag.
func Compare(a, b Version) int {
	switch {
	case !a.ordered && !b.ordered:
		return 0
	case !a.ordered:
		return -1
	case !b.ordered:
		return 1
	}
	for _, d := range [3]int{a.major - b.major, a.minor - b.minor, a.patch - b.patch} {
		if d != 0 {
			return sign(d)
		}
	}
	if c := comparePre(a.pre, b.pre); c != 0 {
		return c
	}
	return sign(a.commits - b.commits)
}

// comparePre orders pre-release identifiers as semver 2.0.0 §11 does: none is newest;
// numeric identifiers compare as numbers and below alphanumeric ones, which compare
// as text; a longer list wins when one is a prefix of the other.
func comparePre(a, b []string) int {
	switch {
	case len(a) == 0 && len(b) == 0:
		return 0
	case len(a) == 0:
		return 1
	case len(b) == 0:
		return -1
	}
	for i := 0; i < len(a) && i < len(b); i++ {
		na, errA := strconv.Atoi(a[i])
		nb, errB := strconv.Atoi(b[i])
		switch {
		case errA == nil && errB == nil:
			if na != nb {
				return sign(na - nb)
			}
		case errA == nil:
			return -1
		case errB == nil:
			return 1
		default:
			if c := strings.Compare(a[i], b[i]); c != 0 {
				return c
			}
		}
	}
	return sign(len(a) - len(b))
}

func sign(d int) int {
	switch {
	case d < 0:
		return -1
	case d > 0:
		return 1
	}
	return 0
}
