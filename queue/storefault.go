package queue

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// KindStorage is a refusal because the database cannot be written or read: the SD card is
// full or failing, the file was removed, replaced or is corrupt. Nothing was half-written
// (SQLite rolls the whole transaction back); the HTTP layer answers 503.
const KindStorage ErrorKind = "storage"

// storageFault classifies an error of SQLite: the primary result code of a failure of the
// card or the file, or 0 for anything else (a constraint, a bug, a cancelled request).
func storageFault(err error) int {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return 0
	}
	switch code := se.Code() & 0xff; code {
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB,
		sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM:
		return code
	}
	return 0
}

// storageMessage says, to the person at the kiosk or counter, what a storage fault means
// and what to do; the cause in technical words goes to the log and to /healthz.
func storageMessage(code int) string {
	switch code {
	case sqlite3.SQLITE_FULL:
		return "Penyimpanan kartu SD penuh: perubahan tidak disimpan dan tidak ada data yang hilang. Hubungi teknisi untuk mengosongkan ruang."
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return "Database antrean rusak: perubahan tidak disimpan. Hubungi teknisi (lihat /healthz dan panduan pemulihan)."
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
		return "Berkas database antrean tidak dapat ditulis (dipindah, dihapus, atau kartu SD terkunci): perubahan tidak disimpan. Hubungi teknisi."
	default:
		return "Kartu SD gagal membaca atau menulis: perubahan tidak disimpan. Hubungi teknisi; kartu mungkin perlu diganti."
	}
}

// StorageRefusal turns an error of a failing card or database file into a refusal of kind
// KindStorage with an Indonesian message, logged at most once a minute per kind of fault
// however many requests meet it. Any other error is returned as it is. The HTTP layer
// passes every error of the queue through it, so that a broken card answers 503 with words
// a citizen understands instead of a stream of 500s and a log that fills the card further.
func StorageRefusal(err error) error {
	if err == nil || KindOf(err) != "" {
		return err
	}
	code := storageFault(err)
	if code == 0 {
		return err
	}
	storageLog.log(fmt.Sprint("sqlite-", code), "gangguan penyimpanan", "err", err)
	if code == sqlite3.SQLITE_CORRUPT || code == sqlite3.SQLITE_NOTADB {
		corruptionSeen.CompareAndSwap(nil, err.Error())
	}
	return &Error{Kind: KindStorage, Msg: storageMessage(code)}
}

// corruptionSeen is the first corruption a read met outside the writer (a page overwritten
// under the running daemon): Store.Health reports it. It is process-wide because the
// error of a read does not say which database it came from; antrid has one.
var corruptionSeen atomic.Value // string

// storageLogEvery is how often one kind of storage fault is logged while it repeats: a
// failing card must not fill the journal (and the card) with one line per request.
const storageLogEvery = time.Minute

// storageLog is the process's one throttle for storage faults: the queue's writer, the
// health checks and the HTTP layer all meet the same card.
var storageLog = newThrottledLog(storageLogEvery, nil)

// throttledLog logs the first of a kind of message at once, then at most one line per
// interval saying how many more there were.
type throttledLog struct {
	every time.Duration
	now   func() time.Time // time.Now, monotonic within the process
	out   func(msg string, args ...any)

	mu    sync.Mutex
	kinds map[string]*throttled
}

type throttled struct {
	last       time.Time
	suppressed int
}

// newThrottledLog logs to logf, or to slog.Default's Error when logf is nil.
func newThrottledLog(every time.Duration, logf func(msg string, args ...any)) *throttledLog {
	l := &throttledLog{every: every, now: time.Now, kinds: map[string]*throttled{}}
	l.out = func(msg string, args ...any) {
		if logf != nil {
			logf(msg, args...)
			return
		}
		slog.Default().Error(msg, args...)
	}
	return l
}

// log writes msg now if kind was not logged in the last interval, else counts it.
func (l *throttledLog) log(kind, msg string, args ...any) {
	l.mu.Lock()
	k := l.kinds[kind]
	if k == nil {
		k = &throttled{}
		l.kinds[kind] = k
	}
	now := l.now()
	if !k.last.IsZero() && now.Sub(k.last) < l.every {
		k.suppressed++
		l.mu.Unlock()
		return
	}
	n := k.suppressed
	k.last, k.suppressed = now, 0
	l.mu.Unlock()
	if n > 0 {
		args = append(args, "sama_sebelumnya", n, "dalam", l.every.String())
	}
	l.out(msg, args...)
}
