package display

import (
	"encoding/json"
	"errors"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

const (
	// writeWait is how long one write to a page may take before it is declared dead.
	writeWait = 10 * time.Second
	// pongWait is how long a page may stay silent (no pong) before it is declared dead.
	pongWait = 60 * time.Second
	// pingPeriod must be below pongWait so a healthy page always answers in time.
	pingPeriod = pongWait * 9 / 10
	// authWait is how long a counter or admin page has to send its token.
	authWait = 10 * time.Second
	// maxMessageSize bounds what a page may send: its first message {"auth":"<token>"},
	// then only pongs.
	maxMessageSize = 512
	// sendBuffer is how many messages a page may lag behind before it is dropped. A TV
	// that is this far behind is better served by reconnecting and taking a fresh snapshot.
	sendBuffer = 256
	// ticketSendBuffer is the same for a citizen's /t/ page, which hears only of its own
	// ticket and place: a few messages a minute at most. Hundreds of phones hold one
	// open, and each buffer is allocated whole when the page connects.
	ticketSendBuffer = 16
)

// pingMessage, queued like a message, has the writer send a ping.
var pingMessage []byte

var errNotReady = errors.New("hub belum tersambung ke antrean")

// client is one connected page: the go-between of its websocket and the hub.
type client struct {
	hub  *Hub
	conn *websocket.Conn
	// send is written by the hub goroutine only, which also closes it; a nil message
	// (pingMessage) is a ping.
	send chan []byte
	// writing is set while a writer goroutine (write) drains send.
	writing atomic.Bool
	// view, scope and place are owned by the hub goroutine.
	view  view
	scope scope
	place placeSent // what a ticket page was last told of its place
	// closeCode and closeReason are set by the hub before it closes send; the writer
	// closes the connection with them.
	closeCode   int
	closeReason string
}

func newClient(h *Hub, conn *websocket.Conn, v view) *client {
	n := sendBuffer
	if v.kind == viewTicket {
		n = ticketSendBuffer
	}
	return &client{hub: h, conn: conn, send: make(chan []byte, n), view: v}
}

// closeWith ends a connection that never reached the hub's writer.
func (c *client) closeWith(code int, reason string) {
	c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason),
		time.Now().Add(writeWait))
	c.conn.Close()
}

// firstMessage is what a page may send once, first: the token of a counter or of the
// admin. It is never in the address, where it would stay in logs and browser history.
type firstMessage struct {
	Auth string `json:"auth"`
}

// readPump reads the page's first message (a token, handed to the hub) and then discards
// what the page sends so that pongs and close frames are processed, and tells the hub when
// the page is gone.
func (c *client) readPump() {
	leave := leaving{client: c, code: websocket.CloseGoingAway}
	defer func() {
		select {
		case c.hub.unregister <- leave:
			if leave.code == websocket.ClosePolicyViolation {
				return // the writer says why in a close frame, then closes
			}
		case <-c.hub.done: // Run has ended and already closed every client
		}
		c.conn.Close()
	}()
	c.conn.SetReadLimit(maxMessageSize)
	first := pongWait
	if c.view.needsToken() {
		first = authWait
	}
	c.conn.SetReadDeadline(time.Now().Add(first))
	c.conn.SetPongHandler(func(string) error {
		return c.conn.SetReadDeadline(time.Now().Add(pongWait))
	})
	for n := 0; ; n++ {
		_, data, err := c.conn.ReadMessage()
		if err != nil {
			if n == 0 && c.view.needsToken() {
				leave.code, leave.reason = websocket.ClosePolicyViolation, "halaman ini perlu token loket atau admin sebagai pesan pertama"
			}
			return
		}
		if n > 0 {
			continue
		}
		var m firstMessage
		if json.Unmarshal(data, &m) != nil || m.Auth == "" {
			if c.view.needsToken() {
				leave.code, leave.reason = websocket.ClosePolicyViolation, `pesan pertama harus {"auth":"<token loket atau admin>"}`
				return
			}
			continue // a public page may say anything, or nothing
		}
		select {
		case c.hub.auth <- authRequest{client: c, token: m.Auth}:
		case <-c.hub.done:
			return
		}
		c.conn.SetReadDeadline(time.Now().Add(pongWait))
	}
}

// kick makes sure a writer is draining c.send; the hub calls it after queueing a message
// or closing send. A page has one goroutine of its own, its reader: a writer exists only
// while there is something to write, since most pages (phones on /t/ above all) hear of
// something a few times a minute. Hundreds of idle writers were 2-3 MB of stacks.
func (c *client) kick() {
	if c.writing.CompareAndSwap(false, true) {
		go c.write()
	}
}

// write is the connection's only writer while it runs: it sends what is queued, one
// websocket message each (pingMessage: a ping, which keeps NAT and the pong deadline
// alive), and returns once the queue is empty. When the hub has closed send, it ends the
// connection with the hub's code and reason; after a write error it closes it. In both
// cases writing stays set, so no writer is started for the dead connection again.
func (c *client) write() {
	for {
		select {
		case msg, ok := <-c.send:
			c.conn.SetWriteDeadline(time.Now().Add(writeWait))
			if !ok {
				// The hub let go of this client: server stopping, the page left, or a
				// wrong token.
				c.conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(c.closeCode, c.closeReason))
				c.conn.Close()
				return
			}
			kind := websocket.TextMessage
			if msg == nil {
				kind = websocket.PingMessage
			}
			if err := c.conn.WriteMessage(kind, msg); err != nil {
				c.conn.Close()
				return
			}
		default:
			// Nothing queued: stop. A message the hub queued after the check above but
			// while writing was still set started no writer, so look once more.
			c.writing.Store(false)
			if len(c.send) == 0 || !c.writing.CompareAndSwap(false, true) {
				return
			}
		}
	}
}
