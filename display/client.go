package display

import (
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
	// maxMessageSize bounds what a page may send; pages only answer pings.
	maxMessageSize = 512
	// sendBuffer is how many events a page may lag behind before it is dropped. A TV that
	// is this far behind is better served by reconnecting and taking a fresh snapshot.
	sendBuffer = 256
)

// client is one connected page: the go-between of its websocket and the hub.
type client struct {
	hub  *Hub
	conn *websocket.Conn
	// send is written by the hub goroutine only, which also closes it.
	send chan []byte
	// after is the last event contained in this client's snapshot; owned by the hub.
	after uint64
}

func newClient(h *Hub, conn *websocket.Conn) *client {
	return &client{hub: h, conn: conn, send: make(chan []byte, sendBuffer)}
}

// closeWith ends a connection that never reached the pumps.
func (c *client) closeWith(code int, reason string) {
	c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason),
		time.Now().Add(writeWait))
	c.conn.Close()
}

// readPump reads (and discards) what the page sends so that pongs and close frames are
// processed, and tells the hub when the page is gone.
func (c *client) readPump() {
	defer func() {
		select {
		case c.hub.unregister <- c:
		case <-c.hub.done: // Run has ended and already closed every client
		}
		c.conn.Close()
	}()
	c.conn.SetReadLimit(maxMessageSize)
	c.conn.SetReadDeadline(time.Now().Add(pongWait))
	c.conn.SetPongHandler(func(string) error {
		return c.conn.SetReadDeadline(time.Now().Add(pongWait))
	})
	for {
		if _, _, err := c.conn.NextReader(); err != nil {
			return
		}
	}
}

// writePump is the only writer of the connection: events, one websocket message each, and
// pings that keep NAT and the pong deadline alive.
func (c *client) writePump() {
	ticker := time.NewTicker(pingPeriod)
	defer func() {
		ticker.Stop()
		c.conn.Close()
	}()
	for {
		select {
		case msg, ok := <-c.send:
			c.conn.SetWriteDeadline(time.Now().Add(writeWait))
			if !ok {
				// The hub let go of this client: server stopping, or the page left.
				c.conn.WriteMessage(websocket.CloseMessage,
					websocket.FormatCloseMessage(websocket.CloseGoingAway, ""))
				return
			}
			if err := c.conn.WriteMessage(websocket.TextMessage, msg); err != nil {
				return
			}
		case <-ticker.C:
			c.conn.SetWriteDeadline(time.Now().Add(writeWait))
			if err := c.conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				return
			}
		}
	}
}
