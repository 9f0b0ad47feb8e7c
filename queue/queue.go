// Package queue is the domain core of Antri: services (layanan) with their
// service standards, counters (loket), tickets and their stages, the SQLite
// store, and the one event path through which every change goes.
//
// Every change, whatever started it (the API, a GPIO button, a page), is a
// Command passed to Queue.Do. Do writes the change and an event row with the
// next per-office sequence number in one SQLite transaction, commits it
// durably, and only then publishes the events to in-process subscribers
// (websocket displays, the printer, the headquarters uploader). Commands have
// an unexported method, so no other package can invent a second path.
package queue

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Command is a change to the queue. The implementations are the exported
// types of this package (Issue, Call, Finish, ...).
type Command interface {
	apply(t *txn) (*Ticket, error)
}

// Queue is one office's queue: its config, its store, and its subscribers.
type Queue struct {
	cfg   *Config
	store *Store
	clock Clock

	requests chan request // to the writer goroutine
	stop     chan struct{}
	stopped  chan struct{}
	once     sync.Once

	mu     sync.Mutex // guards subs, and orders publishing
	subs   map[int]func(Event)
	nextID int

	days dayKeeper // the office day (day.go)

	stmts *stmtCache // the writer's prepared statements (stmtcache.go); nil for a reader
}

// request is one Do call waiting for the writer.
type request struct {
	cmd  Command
	done chan result
}

type result struct {
	tk  *Ticket
	err error
}

// maxBatch bounds how many commands share one transaction.
const maxBatch = 128

// New returns the queue of the office described by cfg, stored in store, and
// starts its writer. Close stops it.
func New(cfg *Config, store *Store, clock Clock) *Queue {
	q := newQueue(cfg, store, clock)
	q.stmts = newStmtCache(store.w)
	go q.writer()
	return q
}

// NewReader returns the queue of a store opened with OpenStoreReadOnly, for reports and
// lookups beside a running daemon: it has no writer, so Do answers ErrClosed.
func NewReader(cfg *Config, store *Store, clock Clock) *Queue {
	q := newQueue(cfg, store, clock)
	q.once.Do(func() { close(q.stop) })
	close(q.stopped)
	return q
}

func newQueue(cfg *Config, store *Store, clock Clock) *Queue {
	if clock == nil {
		clock = NewSystemClock()
	}
	return &Queue{cfg: cfg, store: store, clock: clock, subs: map[int]func(Event){},
		requests: make(chan request), stop: make(chan struct{}), stopped: make(chan struct{}),
		days: dayKeeper{loc: cfg.Location}}
}

// Config is the office's configuration.
func (q *Queue) Config() *Config { return q.cfg }

// Store is the queue's database.
func (q *Queue) Store() *Store { return q.store }

// Now is the queue clock's current instant.
func (q *Queue) Now() Instant { return q.clock.Now() }

// Today is the office day (hari layanan), YYYY-MM-DD: the local date, except while the
// clock is not known to be right (day.go).
func (q *Queue) Today() string {
	day, _, _ := q.officeDay(q.clock.Now())
	return day
}

// Subscribe calls fn with every event after it is committed, in sequence
// order. fn runs on the queue's writer: it must return quickly and must not
// call Do; hand work to a goroutine of your own. The returned function
// unsubscribes.
func (q *Queue) Subscribe(fn func(Event)) (cancel func()) {
	q.mu.Lock()
	id := q.nextID
	q.nextID++
	q.subs[id] = fn
	q.mu.Unlock()
	return func() {
		q.mu.Lock()
		delete(q.subs, id)
		q.mu.Unlock()
	}
}

// Publish sends a live notice (an event that is not stored, Seq 0) to the
// subscribers: a breach warning, a printer problem, a refused button. It refuses any
// other type: a page must never announce a call, nor headquarters count one, that
// is not in the database.
func (q *Queue) Publish(ev Event) error {
	if !noticeTypes[ev.Type] {
		return fmt.Errorf("queue: %q bukan pemberitahuan langsung; perubahan keadaan hanya lewat Queue.Do", ev.Type)
	}
	ev.Seq = 0
	if ev.Office == "" {
		ev.Office = q.cfg.Office.ID
	}
	if ev.At.IsZero() {
		ev.At = q.clock.Now().Wall
	}
	q.publish([]Event{ev})
	return nil
}

func (q *Queue) publish(evs []Event) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, ev := range evs {
		for _, fn := range q.subs {
			fn(ev)
		}
	}
}

// ErrClosed is returned by Do after Close.
var ErrClosed = errors.New("antrean sedang dimatikan; coba lagi sebentar lagi")

// Do applies one command: the change and its events are committed durably,
// then published. It returns the ticket the command acted on. Do waits for
// the commit even if ctx ends meanwhile, so that an answer never hides a
// ticket that was in fact issued.
func (q *Queue) Do(ctx context.Context, cmd Command) (*Ticket, error) {
	req := request{cmd: cmd, done: make(chan result, 1)}
	select {
	case q.requests <- req:
	case <-q.stop:
		return nil, ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	r := <-req.done
	return r.tk, r.err
}

// Close lets the writer finish the commands it has taken, then refuses new
// ones. It does not close the store.
func (q *Queue) Close() {
	q.once.Do(func() { close(q.stop) })
	<-q.stopped
}

// writer is the one goroutine that writes. Commands that arrive together
// share one transaction and so one fsync (group commit): each runs inside its
// own savepoint, so a refused command leaves no trace while the others keep
// their changes, and every caller is answered only after the commit.
func (q *Queue) writer() {
	defer close(q.stopped)
	defer q.stmts.close()
	for {
		var batch []request
		select {
		case r := <-q.requests:
			batch = append(batch, r)
		case <-q.stop:
			return
		}
	more:
		for len(batch) < maxBatch {
			select {
			case r := <-q.requests:
				batch = append(batch, r)
			default:
				break more
			}
		}
		q.run(batch)
	}
}

func (q *Queue) run(batch []request) {
	results := make([]result, len(batch))
	// A failure of the card or the file refuses the whole batch with words for the
	// citizen (KindStorage); SQLite has rolled everything back, nothing is half-written.
	fail := func(err error) {
		q.store.noteWrite(err)
		err = StorageRefusal(err)
		for _, r := range batch {
			r.done <- result{err: err}
		}
	}
	if err := q.store.writable(); err != nil {
		fail(err)
		return
	}
	ctx := context.Background()
	tx, err := q.store.w.BeginTx(ctx, nil)
	if err != nil {
		fail(fmt.Errorf("memulai transaksi: %w", err))
		return
	}
	var events []Event
	var seq int64
	var after []func()
	changesBefore := totalChanges(ctx, tx)
	day, err := q.beginDay(ctx, tx, q.clock.Now())
	if err != nil {
		tx.Rollback()
		fail(err)
		return
	}
	var counts batchCounts
	for i, r := range batch {
		if _, ok := r.cmd.(Issue); !ok {
			counts.forget()
		}
		if _, err := tx.ExecContext(ctx, "SAVEPOINT cmd"); err != nil {
			tx.Rollback()
			fail(err)
			return
		}
		t := &txn{q: q, tx: writerTx{tx, q.stmts}, now: q.clock.Now(), ctx: ctx, seq: seq, day: day.day, known: day.known, knownOK: day.knownOK,
			counts: &counts}
		tk, err := r.cmd.apply(t)
		if err != nil && storageFault(err) != 0 {
			// The card or the file failed: SQLite may have rolled the whole
			// transaction back already, so every command of the batch is refused.
			tx.Rollback()
			fail(err)
			return
		}
		if err != nil {
			results[i].err = err
			counts.forget() // the counts may hold what is rolled back now
			if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO cmd"); rerr != nil {
				tx.Rollback()
				fail(rerr)
				return
			}
		} else {
			results[i].tk = tk
			events = append(events, t.events...)
			after = append(after, t.after...)
			seq = t.seq
		}
		if _, err := tx.ExecContext(ctx, "RELEASE cmd"); err != nil {
			tx.Rollback()
			fail(err)
			return
		}
	}
	wrote := totalChanges(ctx, tx) != changesBefore
	if err := tx.Commit(); err != nil {
		fail(fmt.Errorf("menyimpan: %w", err))
		return
	}
	if wrote {
		q.store.noteWrite(nil) // the card took a write: a past failure is over
	}
	q.stmts.prepareMissed(ctx)
	day.commit()
	for _, fn := range after {
		fn()
	}
	q.publish(events)
	for i, r := range batch {
		r.done <- results[i]
	}
}

// totalChanges is SQLite's count of rows written on the writer's connection: a commit
// that changed nothing did not touch the card and proves nothing about it.
func totalChanges(ctx context.Context, tx *sql.Tx) int64 {
	var n int64
	_ = tx.QueryRowContext(ctx, "SELECT total_changes()").Scan(&n)
	return n
}

// txn is one command's transaction.
type txn struct {
	q      *Queue
	tx     writerTx // its statements prepared once (stmtcache.go)
	ctx    context.Context
	now    Instant
	events []Event
	seq    int64 // last seq used; 0 until read

	day     string    // the office day of the batch (day.go)
	known   time.Time // the time known at the batch's start, when knownOK
	knownOK bool
	after   []func()     // run once the transaction has committed, if this command kept its changes
	counts  *batchCounts // the batch's waiting counts while it only issues (estimate_batch.go)
}

// nextSeq is the sequence number the next emitted event will get.
func (t *txn) nextSeq() (int64, error) {
	if t.seq == 0 {
		err := t.tx.QueryRowContext(t.ctx, `SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)`).Scan(&t.seq)
		if err != nil {
			return 0, err
		}
	}
	return t.seq + 1, nil
}

// emit stores an event and queues it for publishing after commit.
func (t *txn) emit(typ string, tk *Ticket, service, counter string, data any) error {
	seq, err := t.nextSeq()
	if err != nil {
		return err
	}
	ev := Event{Seq: seq, Office: t.q.cfg.Office.ID, Type: typ, At: t.now.Wall, Boot: t.now.Boot,
		MonoNS: int64(t.now.Mono), Service: service, Counter: counter, Ticket: tk}
	if data != nil {
		b, err := json.Marshal(data)
		if err != nil {
			return err
		}
		ev.Data = b
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO events (seq, type, body) VALUES (?, ?, ?)`, seq, typ, body); err != nil {
		return fmt.Errorf("menyimpan event: %w", err)
	}
	t.seq = seq
	t.events = append(t.events, ev)
	return nil
}
