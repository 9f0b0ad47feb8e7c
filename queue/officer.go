package queue

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Officer sign-in events. Their Counter is the counter and their Data the Officer who
// signed in or out. They are the staff's: a public page never receives them.
const (
	EventOfficerSignedIn  = "officer_signed_in"
	EventOfficerSignedOut = "officer_signed_out"
)

// Officer is the officer (petugas) serving at a counter for a shift, as they signed
// in: their name and, for a civil servant, their NIP (18 digits). Each segment the
// counter calls carries them (Segment.Officer, Segment.OfficerNIP), so the reports have
// a part per officer.
type Officer struct {
	Name string `json:"name"`
	NIP  string `json:"nip,omitempty"`
}

// CallData is the Data of a called event whose officer gave a NIP at sign-in (the
// ticket names the officer; Segment.OfficerNIP keeps the NIP in the store).
type CallData struct {
	OfficerNIP string `json:"officer_nip,omitempty"`
}

// MaxOfficerName is the longest officer name, in characters.
const MaxOfficerName = 100

// cleanOfficer checks an officer's name and NIP and writes them one way: spaces folded,
// the NIP's digits only.
func cleanOfficer(name, nip string) (Officer, error) {
	o := Officer{Name: strings.Join(strings.Fields(name), " ")}
	switch n := utf8.RuneCountInString(o.Name); {
	case n == 0:
		return o, refuse(KindInvalid, `nama petugas wajib diisi, contoh {"name":"Siti Rahmawati","nip":"19800101 200501 2 001"}`)
	case n > MaxOfficerName || !utf8.ValidString(o.Name):
		return o, refuse(KindInvalid, "nama petugas terlalu panjang; paling banyak %d huruf", MaxOfficerName)
	}
	for _, r := range nip {
		switch {
		case r >= '0' && r <= '9':
			o.NIP += string(r)
		case unicode.IsSpace(r) || r == '.' || r == '-':
		default:
			return o, refuse(KindInvalid, "NIP hanya berisi angka (spasi boleh), contoh 19800101 200501 2 001; kosongkan bila tidak punya NIP")
		}
	}
	if o.NIP != "" && len(o.NIP) != 18 {
		return o, refuse(KindInvalid, "NIP terdiri atas 18 angka, yang tertulis %d; periksa lagi atau kosongkan bila tidak punya NIP", len(o.NIP))
	}
	return o, nil
}

// signedIn is the officer of a counter state for the local day: a sign-in lasts the
// shift, which ends with its day, whoever forgot to sign out.
func (cs counterState) signedIn(day string) Officer {
	if cs.officerDay != day {
		return Officer{}
	}
	return cs.officer
}

// SignIn signs an officer in at a counter for the shift (optional: a counter works
// without). A new sign-in replaces the officer signed in before (a change of shift), who
// is signed out first. Every call the counter makes afterwards carries the officer.
type SignIn struct {
	Counter string
	Name    string
	NIP     string // optional; 18 digits when given, spaces allowed
}

func (c SignIn) apply(t *txn) (*Ticket, error) {
	k, cs, err := t.counterWithState(c.Counter)
	if err != nil {
		return nil, err
	}
	o, err := cleanOfficer(c.Name, c.NIP)
	if err != nil {
		return nil, err
	}
	day := t.day
	before := cs.signedIn(day)
	if before == o {
		return nil, refuse(KindConflict, "%s sudah masuk sebagai petugas %s", o.Name, k.Name)
	}
	cs.officer, cs.officerDay, cs.officerSince = o, day, t.now
	if err := t.saveCounterState(k.ID, cs); err != nil {
		return nil, err
	}
	if before.Name != "" {
		if err := t.emit(EventOfficerSignedOut, nil, "", k.ID, before); err != nil {
			return nil, err
		}
	}
	return nil, t.emit(EventOfficerSignedIn, nil, "", k.ID, SignInData{Officer: o, Day: day})
}

// SignInData is the Data of an officer_signed_in event: the officer, and the office day
// the shift belongs to (day.go), which a restore cannot tell from the event's time alone
// while the clock was not known.
type SignInData struct {
	Officer
	Day string `json:"day"`
}

// SignOut ends the shift of the officer signed in at a counter.
type SignOut struct{ Counter string }

func (c SignOut) apply(t *txn) (*Ticket, error) {
	k, cs, err := t.counterWithState(c.Counter)
	if err != nil {
		return nil, err
	}
	o := cs.signedIn(t.day)
	if o.Name == "" {
		return nil, refuse(KindConflict, "belum ada petugas yang masuk di %s", k.Name)
	}
	cs.officer, cs.officerDay, cs.officerSince = Officer{}, "", Instant{}
	if err := t.saveCounterState(k.ID, cs); err != nil {
		return nil, err
	}
	return nil, t.emit(EventOfficerSignedOut, nil, "", k.ID, o)
}
