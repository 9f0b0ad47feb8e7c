package collect

import (
	"strconv"
	"strings"
)

// dialect is what differs between SQLite and PostgreSQL for headquarters'
// store; the queries themselves are the same.
type dialect struct {
	name    string // "sqlite" or "postgres", as in migration file names
	dollar  bool   // placeholders are $1, $2, … instead of ?
	columns string // the column names of the table named by the one parameter
	lock    string // taken first in each migration's transaction ("" when the database serialises writers itself)
}

var (
	sqliteDialect = &dialect{name: "sqlite", columns: `SELECT name FROM pragma_table_info(?)`}
	// The advisory lock's key is arbitrary: antri-hq's migrations on this database.
	postgresDialect = &dialect{name: "postgres", dollar: true,
		columns: `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?`,
		lock:    `SELECT pg_advisory_xact_lock(727384201)`}
)

// dollarPlaceholders rewrites the ? placeholders of query as $1, $2, … for
// PostgreSQL. A ? inside a string literal ('…', where a doubled quote is a
// quote), a quoted name ("…") or a comment (-- to the end of the line,
// /* … */) is text, not a placeholder, and is left as it is.
func dollarPlaceholders(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		var end string // what closes the text that starts here
		switch {
		case c == '\'':
			end = "'"
		case c == '"':
			end = `"`
		case c == '-' && strings.HasPrefix(query[i:], "--"):
			end = "\n"
		case c == '/' && strings.HasPrefix(query[i:], "/*"):
			end = "*/"
		case c == '?':
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		default:
			b.WriteByte(c)
			continue
		}
		// Copy the text through its end; a doubled quote ('' or "") is an
		// escaped quote inside it and does not end it.
		j := i + 1
		if end == "*/" {
			j = i + 2
		}
		for {
			k := strings.Index(query[j:], end)
			if k < 0 {
				j = len(query)
				break
			}
			j += k + len(end)
			if (end == "'" || end == `"`) && j < len(query) && query[j] == end[0] {
				j++ // escaped quote: the text goes on
				continue
			}
			break
		}
		b.WriteString(query[i:j])
		i = j - 1
	}
	return b.String()
}
