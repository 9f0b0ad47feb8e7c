package printer

import "time"

// ExpireWriteDeadline leaves p as a print more than writeTimeout ago leaves it: its
// connection's write deadline set and passed.
func ExpireWriteDeadline(p Port) {
	past := time.Now().Add(-time.Second)
	switch p := p.(type) {
	case *charPort:
		p.f.SetWriteDeadline(past)
	case *tcpPort:
		if p.conn != nil {
			p.conn.SetWriteDeadline(past)
		}
	}
}
