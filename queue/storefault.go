package queue

import (
	"context"
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
	storageLog.Error(fmt.Sprint("sqlite-", code), "gangguan penyimpanan", "err", err)
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
var storageLog = &QuietLog{Every: storageLogEvery}

// QuietLog writes a message at most once per interval for each key, saying how many like
// it were left out since: a failing card, or a flood of refused requests, must not fill
// the log (and the disk) with a line each. Keys come from a bounded set (kinds of fault,
// configured offices, refusal codes), never from what a client sends. The zero value
// logs to slog.Default once a minute.
type QuietLog struct {
	Log   *slog.Logger     // slog.Default when nil
	Every time.Duration    // a minute when zero
	Now   func() time.Time // time.Now when nil (tests set it)

	mu   sync.Mutex
	keys map[string]*quietKey
}

type quietKey struct {
	last    time.Time
	skipped int
}

// Warn logs msg with args at warning level under key, unless key was logged within the
// interval.
func (q *QuietLog) Warn(key, msg string, args ...any) { q.write(slog.LevelWarn, key, msg, args) }

// Error is Warn at error level.
func (q *QuietLog) Error(key, msg string, args ...any) { q.write(slog.LevelError, key, msg, args) }

func (q *QuietLog) write(level slog.Level, key, msg string, args []any) {
	q.mu.Lock()
	if q.keys == nil {
		q.keys = map[string]*quietKey{}
	}
	k := q.keys[key]
	if k == nil {
		k = &quietKey{}
		q.keys[key] = k
	}
	now, every := time.Now(), q.Every
	if q.Now != nil {
		now = q.Now()
	}
	if every == 0 {
		every = time.Minute
	}
	if !k.last.IsZero() && now.Sub(k.last) < every {
		k.skipped++
		q.mu.Unlock()
		return
	}
	skipped := k.skipped
	k.last, k.skipped = now, 0
	q.mu.Unlock()
	if skipped > 0 {
		args = append(args, "serupa_dilewati", skipped)
	}
	log := q.Log
	if log == nil {
		log = slog.Default()
	}
	log.Log(context.Background(), level, msg, args...)
}
