// Package display serves the waiting-room display, the kiosk and the counter pages, and
// pushes live queue events to them over a websocket.
package display

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/gorilla/websocket"
)

// inboxSize is how many broadcast events may wait for the hub goroutine. The hub never
// blocks on a client (a full client is dropped), so it drains this quickly; the size only
// has to absorb a burst while the hub is busy taking a snapshot for a new client. An office
// produces a few events a second, so 4096 is hours of headroom, not minutes.
const inboxSize = 4096

// maxSnapshotTries bounds how often the hub retakes a snapshot that raced with a Broadcast
// (see Hub.ServeWS). After that it accepts a possible duplicate rather than starve.
const maxSnapshotTries = 5

// event is one broadcast message with its position in the order of Broadcast calls.
type event struct {
	seq uint64
	msg []byte
}

// registration asks the hub goroutine to snapshot the state and add a client atomically.
type registration struct {
	client   *client
	snapshot func() ([]byte, error)
	result   chan error
}

// Hub fans out events to every connected display, kiosk and counter page.
//
// One goroutine (Run) owns the set of clients, as in gorilla/websocket's chat example: it
// adds and removes clients and copies each event into every client's buffered send channel.
// A client whose buffer is full is dropped at once, so one stalled TV never delays the
// others; its page reconnects by itself and resynchronises from a fresh snapshot.
type Hub struct {
	inbox      chan event
	register   chan *registration
	unregister chan *client
	done       chan struct{} // closed when Run returns

	mu  sync.Mutex    // orders Broadcast calls so that seq order is inbox order
	seq atomic.Uint64 // number of the last event accepted by Broadcast

	count atomic.Int64 // len(clients), readable from any goroutine

	clients map[*client]struct{} // owned by the Run goroutine
}

// NewHub returns a hub with no clients. Start Run before serving websockets.
func NewHub() *Hub {
	return &Hub{
		inbox:      make(chan event, inboxSize),
		register:   make(chan *registration),
		unregister: make(chan *client),
		done:       make(chan struct{}),
		clients:    make(map[*client]struct{}),
	}
}

// Run is the hub goroutine. It returns when ctx ends, after closing every client (each is
// sent a "going away" close frame so its page knows to reconnect). Call it once.
func (h *Hub) Run(ctx context.Context) {
	defer func() {
		close(h.done)
		for c := range h.clients {
			h.remove(c)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case reg := <-h.register:
			reg.result <- h.add(reg)
		case c := <-h.unregister:
			h.remove(c)
		case ev := <-h.inbox:
			for c := range h.clients {
				if ev.seq <= c.after {
					continue // already contained in the snapshot this client started from
				}
				select {
				case c.send <- ev.msg:
				default:
					// Buffer full: the client has not read sendBuffer events. Waiting for it
					// would stall everyone, so cut it off; closing the connection also
					// unblocks its write pump at once instead of after writeWait.
					slog.Warn("display terlalu lambat, koneksi diputus; halaman akan menyambung ulang",
						"remote", c.conn.RemoteAddr().String(), "buffer", sendBuffer)
					h.remove(c)
					c.conn.Close()
				}
			}
		}
	}
}

// add takes the snapshot for a new client and registers it, on the hub goroutine, so that
// no event falls between the snapshot and the client's first event.
func (h *Hub) add(reg *registration) error {
	c := reg.client
	c.after = h.seq.Load()
	if reg.snapshot != nil {
		var snap []byte
		for try := 1; ; try++ {
			before := h.seq.Load()
			var err error
			snap, err = reg.snapshot()
			if err != nil {
				return err
			}
			c.after = before
			if h.seq.Load() == before || try == maxSnapshotTries {
				// Either no Broadcast ran during the snapshot, so every event up to
				// `before` is in it and every later one is not; or we gave up, and events
				// that raced with it may arrive although already in the snapshot (a
				// duplicate, never a gap).
				break
			}
		}
		c.send <- snap // the buffer is empty: this never blocks
	}
	h.clients[c] = struct{}{}
	h.count.Store(int64(len(h.clients)))
	return nil
}

// remove forgets a client and ends its write pump. Safe to call twice.
func (h *Hub) remove(c *client) {
	if _, ok := h.clients[c]; !ok {
		return
	}
	delete(h.clients, c)
	close(c.send)
	h.count.Store(int64(len(h.clients)))
}

// Broadcast sends msg to every connected client, in the order of Broadcast calls. It does
// not wait for any client: it only queues msg for the hub goroutine, which never blocks on
// clients. If the hub's inbox (4096 events) is full, Broadcast waits for the hub to drain
// it — the hub, never a client — so no event is lost for a healthy client. After Run has
// returned, Broadcast discards msg. msg must not be modified afterwards.
//
// To give new clients a snapshot with neither gap nor duplicate, change the state and call
// Broadcast while holding the lock that the snapshot function of ServeWS takes.
func (h *Hub) Broadcast(msg []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ev := event{seq: h.seq.Add(1), msg: msg}
	select {
	case h.inbox <- ev:
	case <-h.done:
	}
}

// Clients returns the number of connected clients.
func (h *Hub) Clients() int { return int(h.count.Load()) }

// upgrader accepts websockets from any origin. The displays are TVs, kiosks and counter
// PCs on the office LAN that open the daemon by IP address or by whatever host name the
// office's router gives it, so there is no single origin to compare with. Refusing other
// origins would protect a cookie-authenticated socket against cross-site hijacking, but
// /ws uses no cookies or credentials and carries only what the waiting-room TV already
// shows in public; every action goes through the HTTP API with a bearer token instead.
var upgrader = websocket.Upgrader{
	ReadBufferSize:  512, // pages send nothing but pongs and close frames
	WriteBufferSize: 4096,
	// A pool frees the write buffer between messages: most displays are idle most of the
	// time, so this keeps memory per connected display small.
	WriteBufferPool: &sync.Pool{},
	CheckOrigin:     func(*http.Request) bool { return true },
}

// ServeWS upgrades the request to a websocket and streams events to it until either side
// closes. The first message is the result of snapshot (the full state the page renders
// from); then come, without gap or duplicate, the events broadcast after it — provided the
// caller changes its state and calls Broadcast under the same lock snapshot takes.
//
// snapshot runs on the hub goroutine, so it must be quick and must not call Broadcast. If it
// fails the socket is closed with "internal error" and the page retries. A nil snapshot
// means the page gets events only.
func (h *Hub) ServeWS(w http.ResponseWriter, r *http.Request, snapshot func() ([]byte, error)) {
	select {
	case <-h.done:
		http.Error(w, "server sedang berhenti, coba lagi sebentar", http.StatusServiceUnavailable)
		return
	default:
	}
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has already answered the client with the reason
	}
	c := newClient(h, conn)
	reg := &registration{client: c, snapshot: snapshot, result: make(chan error, 1)}
	select {
	case h.register <- reg:
	case <-h.done:
		c.closeWith(websocket.CloseGoingAway, "server berhenti")
		return
	}
	if err := <-reg.result; err != nil {
		c.closeWith(websocket.CloseInternalServerErr, "gagal membaca keadaan antrian")
		return
	}
	go c.writePump()
	go c.readPump()
}
