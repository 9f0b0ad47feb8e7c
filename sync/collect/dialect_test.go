package collect

import "testing"

func TestDollarPlaceholdersLeaveLiteralsAlone(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT a FROM t WHERE b = ? AND c = ?`, `SELECT a FROM t WHERE b = $1 AND c = $2`},
		// A ? in a string literal is a question mark, not a parameter.
		{`UPDATE t SET note = 'why?' WHERE id = ?`, `UPDATE t SET note = 'why?' WHERE id = $1`},
		// '' is a quote inside the literal, which goes on.
		{`SELECT 'it''s ?' , ?`, `SELECT 'it''s ?' , $1`},
		{`SELECT '''?''', ?`, `SELECT '''?''', $1`},
		{`SELECT '', ?, ''`, `SELECT '', $1, ''`},
		{`SELECT "odd?name" FROM t WHERE x = ?`, `SELECT "odd?name" FROM t WHERE x = $1`},
		{"SELECT ? -- any?\n, ?", "SELECT $1 -- any?\n, $2"},
		{`SELECT ? /* one? 'two */ , ?`, `SELECT $1 /* one? 'two */ , $2`},
		{`SELECT 1 - ?, 2 / ?`, `SELECT 1 - $1, 2 / $2`},
		// An unterminated literal is the database's error to report, unchanged.
		{`SELECT ?, 'open ?`, `SELECT $1, 'open ?`},
		{`INSERT INTO t VALUES (?, ?), (?, ?)`, `INSERT INTO t VALUES ($1, $2), ($3, $4)`},
	} {
		if got := dollarPlaceholders(c.in); got != c.want {
			t.Errorf("dollarPlaceholders(%q)\n = %q\nwant %q", c.in, got, c.want)
		}
	}
}
