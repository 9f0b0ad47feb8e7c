// Package display serves the waiting-room display, the kiosk and the counter pages, and
// pushes live queue events to them over a websocket.
package display

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/antri-id/antri/queue"
)

// inboxSize is how many events may wait for the hub goroutine. The hub never blocks on a
// client (a full client is dropped), so it drains this quickly; the size only has to
// absorb a burst while the hub is busy with a snapshot. An office produces a few events a
// second, so 4096 is hours of headroom, not minutes.
const inboxSize = 4096

// staleEvery is how often the hub asks whether time alone changed what pages show (a new
// day, the office opening or closing, a revised standard coming into force).
const staleEvery = 30 * time.Second

// feed is what the hub serves: the live state, moved forward by the office's events in
// order, and what each client is sent of it. The hub calls it from its own goroutine only,
// so a snapshot and the events after it can have neither gap nor duplicate.
type feed interface {
	// load reads the state afresh (at start, and when stale says so).
	load(ctx context.Context) error
	// loaded reports whether load has succeeded.
	loaded() bool
	// stale reports whether time alone has changed the state since load.
	stale(ctx context.Context) bool
	// snapshot is the first message of client c: the state its view shows now.
	snapshot(c *client) ([]byte, error)
	// apply moves the state by one event. It reports false for an event the state
	// already includes; otherwise to gives each client's message (nil: nothing for it).
	apply(ctx context.Context, ev queue.Event) (to func(c *client) []byte, ok bool)
}

// registration asks the hub goroutine to add a client.
type registration struct {
	client *client
	result chan error
}

// leaving asks the hub goroutine to forget a client, closing it with code and reason.
type leaving struct {
	client *client
	code   int
	reason string
}

// authRequest carries a client's first message's token to the hub goroutine.
type authRequest struct {
	client *client
	token  string
}

// Hub fans out the office's events to every connected page, each in its view and scope.
//
// One goroutine (Run) owns the set of clients and the live state, as in gorilla/websocket's
// chat example: it adds and removes clients, applies each event to the state, and copies
// each client's message into its buffered send channel. A client whose buffer is full is
// dropped at once, so one stalled TV never delays the others; its page reconnects by
// itself and resynchronises from a fresh snapshot. Because the snapshot is taken from the
// same state on the same goroutine, a page gets every event after its snapshot, once.
type Hub struct {
	inbox      chan queue.Event
	register   chan *registration
	unregister chan leaving
	auth       chan authRequest
	feedc      chan feed
	done       chan struct{} // closed when Run returns

	// authorize finds the scope of a token; set with the feed, read on the hub goroutine.
	authorize func(token string) (scope, bool)

	count atomic.Int64 // clients with a snapshot, readable from any goroutine

	// pingEvery is how often Run has every page pinged (pingPeriod; tests shorten it).
	pingEvery time.Duration

	feed    feed                 // owned by the Run goroutine
	clients map[*client]struct{} // owned by the Run goroutine: those sent a snapshot
	pending map[*client]struct{} // owned by the Run goroutine: waiting for their token
}

// NewHub returns a hub with no clients. Start Run before serving websockets; the server
// (New) gives it the queue it serves.
func NewHub() *Hub {
	return &Hub{
		inbox:      make(chan queue.Event, inboxSize),
		register:   make(chan *registration),
		unregister: make(chan leaving),
		auth:       make(chan authRequest),
		feedc:      make(chan feed, 1),
		done:       make(chan struct{}),
		pingEvery:  pingPeriod,
		clients:    make(map[*client]struct{}),
		pending:    make(map[*client]struct{}),
	}
}

// serve gives the hub what it serves. Called once, by New.
func (h *Hub) serve(f feed, authorize func(string) (scope, bool)) {
	h.authorize = authorize
	h.feedc <- f
}

// Run is the hub goroutine. It returns when ctx ends, after closing every client (each is
// sent a "going away" close frame so its page knows to reconnect). Call it once.
func (h *Hub) Run(ctx context.Context) {
	defer func() {
		close(h.done)
		for c := range h.clients {
			h.remove(c, websocket.CloseGoingAway, "")
		}
		for c := range h.pending {
			h.remove(c, websocket.CloseGoingAway, "")
		}
	}()
	tick := time.NewTicker(staleEvery)
	defer tick.Stop()
	ping := time.NewTicker(h.pingEvery)
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ping.C:
			for c := range h.clients {
				h.send(c, pingMessage)
			}
		case f := <-h.feedc:
			h.feed = f
			h.reload(ctx)
		case <-tick.C:
			if h.feed != nil && (!h.feed.loaded() || h.feed.stale(ctx)) {
				h.reload(ctx)
			}
		case reg := <-h.register:
			// Events published before this page connected are applied first, so a page
			// opened after an answer (a ticket issued, a call) finds it in its snapshot.
			h.drain(ctx)
			reg.result <- h.add(ctx, reg.client)
		case l := <-h.unregister:
			h.remove(l.client, l.code, l.reason)
		case a := <-h.auth:
			h.authenticate(a)
		case ev := <-h.inbox:
			h.deliver(ctx, ev)
		}
	}
}

// drain delivers the events already waiting in the inbox.
func (h *Hub) drain(ctx context.Context) {
	for {
		select {
		case ev := <-h.inbox:
			h.deliver(ctx, ev)
		default:
			return
		}
	}
}

// deliver moves the live state by one event and sends each client what its view shows
// of it.
func (h *Hub) deliver(ctx context.Context, ev queue.Event) {
	if h.feed == nil || !h.feed.loaded() {
		return // the state is loaded from the store later, this event included
	}
	to, ok := h.feed.apply(ctx, ev)
	if !ok {
		return // already in the state every client's snapshot came from
	}
	h.revoked(ev)
	for c := range h.clients {
		if msg := to(c); msg != nil {
			h.send(c, msg)
		}
	}
}

// reload reads the state afresh and sends every client a new snapshot of it: what the
// page had is out of date (a new day, the office opening), and a snapshot replaces it.
func (h *Hub) reload(ctx context.Context) {
	if err := h.feed.load(ctx); err != nil {
		slog.Error("keadaan antrean untuk layar tidak terbaca; dicoba lagi", "err", err)
		return
	}
	for c := range h.clients {
		h.resnapshot(c)
	}
}

func (h *Hub) resnapshot(c *client) {
	snap, err := h.feed.snapshot(c)
	if err != nil {
		h.remove(c, websocket.CloseInternalServerErr, "gagal membaca keadaan antrean")
		return
	}
	h.send(c, snap)
}

// send queues msg for c and has its writer send it, or drops c if its buffer
// (sendBuffer, ticketSendBuffer) is full: waiting for it would stall everyone. Closing
// the connection also unblocks its writer at once.
func (h *Hub) send(c *client, msg []byte) {
	select {
	case c.send <- msg:
		c.kick()
	default:
		slog.Warn("layar terlalu lambat, koneksi diputus; halaman akan menyambung ulang",
			"remote", c.conn.RemoteAddr().String(), "buffer", cap(c.send))
		h.remove(c, websocket.CloseGoingAway, "")
		c.conn.Close()
	}
}

// add registers a new client: a view that needs a token waits for it; any other gets its
// snapshot now.
func (h *Hub) add(ctx context.Context, c *client) error {
	if c.view.needsToken() {
		h.pending[c] = struct{}{}
		return nil
	}
	if h.feed == nil {
		return errNotReady
	}
	if !h.feed.loaded() {
		h.reload(ctx)
	}
	snap, err := h.feed.snapshot(c)
	if err != nil {
		return err
	}
	c.send <- snap // the buffer is empty: this never blocks
	c.kick()
	h.clients[c] = struct{}{}
	h.count.Store(int64(len(h.clients)))
	return nil
}

// authenticate gives a client the scope of the token in its first message and sends it the
// snapshot of its view in that scope. A wrong token closes the socket: a page that sent
// one wants to know at once, and a guesser gets one try per connection.
func (h *Hub) authenticate(a authRequest) {
	c := a.client
	_, isPending := h.pending[c]
	_, isClient := h.clients[c]
	if !isPending && !isClient {
		return // gone meanwhile
	}
	sc, ok := h.authorize(a.token)
	if ok {
		c.view, ok = c.view.in(sc)
	}
	if !ok || h.feed == nil || !h.feed.loaded() {
		h.remove(c, websocket.ClosePolicyViolation, "token loket atau admin salah untuk halaman ini")
		return
	}
	c.scope = sc
	delete(h.pending, c)
	h.clients[c] = struct{}{}
	h.count.Store(int64(len(h.clients)))
	h.resnapshot(c)
}

// remove forgets a client and has its writer close the connection with code and reason
// (after what is still queued). Safe to call twice.
func (h *Hub) remove(c *client, code int, reason string) {
	_, isClient := h.clients[c]
	_, isPending := h.pending[c]
	if !isClient && !isPending {
		return
	}
	delete(h.clients, c)
	delete(h.pending, c)
	c.closeCode, c.closeReason = code, reason
	close(c.send)
	c.kick()
	h.count.Store(int64(len(h.clients)))
}

// revoked closes the sockets of a device the admin has just revoked (device_revoked):
// its page locks at once, as its next request would be refused.
func (h *Hub) revoked(ev queue.Event) {
	if ev.Type != queue.EventDeviceRevoked {
		return
	}
	var d queue.Device
	if json.Unmarshal(ev.Data, &d) != nil || d.ID == 0 {
		return
	}
	for c := range h.clients {
		if c.scope.device == d.ID {
			h.remove(c, websocket.ClosePolicyViolation, "perangkat ini sudah dicabut admin; minta tautan pemasangan baru")
		}
	}
}

// Broadcast hands an event to the hub goroutine, in the order of calls. It does not wait
// for any client; if the hub's inbox (4096 events) is full it waits for the hub — never a
// client — so no event is lost for a healthy client. After Run has returned it discards
// ev. Call it in sequence order (a queue.Queue subscriber is).
func (h *Hub) Broadcast(ev queue.Event) {
	select {
	case h.inbox <- ev:
	case <-h.done:
	}
}

// Clients returns the number of connected clients that have their snapshot.
func (h *Hub) Clients() int { return int(h.count.Load()) }

// upgrader accepts the websocket once Server.ws has checked the request's Origin
// (originAllowed: the appliance's own host names and [office] origins): a page of
// another site cannot open it in a visitor's browser.
var upgrader = websocket.Upgrader{
	ReadBufferSize:  512, // pages send one small first message, then pongs and close frames
	WriteBufferSize: 4096,
	// A pool frees the write buffer between messages: most displays are idle most of the
	// time, so this keeps memory per connected display small.
	WriteBufferPool: &sync.Pool{},
	CheckOrigin:     func(*http.Request) bool { return true },
}

// serveWS upgrades the request to a websocket for view v and streams to it until either
// side closes: first the snapshot of the state its view shows (for a view that needs a
// token, once the token arrives), then its message of every later event.
func (h *Hub) serveWS(w http.ResponseWriter, r *http.Request, v view) {
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
	c := newClient(h, conn, v)
	reg := &registration{client: c, result: make(chan error, 1)}
	select {
	case h.register <- reg:
	case <-h.done:
		c.closeWith(websocket.CloseGoingAway, "server berhenti")
		return
	}
	if err := <-reg.result; err != nil {
		c.closeWith(websocket.CloseInternalServerErr, "gagal membaca keadaan antrean")
		return
	}
	go c.readPump() // the writer runs when the hub has something to send (client.kick)
}
