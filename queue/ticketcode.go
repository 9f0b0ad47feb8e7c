package queue

import (
	"crypto/rand"
	"crypto/subtle"
	"net/url"
)

// TicketCodeLength is the length of a ticket's secret code: 10 characters of 32 give
// 50 bits, beyond any guessing over a LAN (DOMAIN.md asks at least 8 characters).
const TicketCodeLength = 10

// codeAlphabet is Crockford's base 32 in lower case: 32 symbols (so a random byte's
// low 5 bits pick one without bias), no i, l, o or u to misread off paper.
const codeAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// newTicketCode draws a ticket's secret code from crypto/rand.
func newTicketCode() string {
	b := make([]byte, TicketCodeLength)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	for i := range b {
		b[i] = codeAlphabet[b[i]&31]
	}
	return string(b)
}

// codeMatches compares a code a client sent with the stored one in constant time. A
// ticket without a code (issued before codes existed) matches nothing.
func codeMatches(stored, sent string) bool {
	return stored != "" && subtle.ConstantTimeCompare([]byte(stored), []byte(sent)) == 1
}

// Link is the address of a ticket's status page with its day and secret code, as its
// QR code carries it: /t/A-012?d=2026-11-02&k=3fk9q2m7xw. Without a code (a ticket from
// before codes existed) it is /t/{number}?d=DAY.
func (tk *Ticket) Link() string {
	q := url.Values{}
	q.Set("d", tk.Day)
	if tk.Code != "" {
		q.Set("k", tk.Code)
	}
	return "/t/" + url.PathEscape(tk.Number) + "?" + q.Encode()
}

// CodeMatches reports whether sent is the ticket's secret code: whoever has it holds
// the paper (or took the ticket on the phone). It compares in constant time; a ticket
// without a code matches nothing.
func (tk *Ticket) CodeMatches(sent string) bool { return codeMatches(tk.Code, sent) }
