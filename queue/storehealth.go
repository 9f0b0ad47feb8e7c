package queue

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	sqlite3 "modernc.org/sqlite/lib"
)

// StorageHealth is the database's state as /healthz reports it ("database"): whether the
// office can trust that what it acknowledges is kept, and if not, why and what to do.
type StorageHealth struct {
	OK        bool   `json:"ok"`
	Problem   string `json:"problem,omitempty"` // every fault found, in words a technician can act on
	Path      string `json:"path"`
	FreeMB    int64  `json:"free_mb"` // free space on the file system; -1 when unknown
	MinFreeMB int64  `json:"min_free_mb"`
	Rescued   string `json:"rescued,omitempty"` // copy of a database whose file went away
}

// probeEvery is how often Health tries a write while writes fail, to see the card
// recover (space freed, card reseated) without waiting for a citizen's ticket.
const probeEvery = 5 * time.Second

// storeHealth is what the store knows about the faults of its card and file.
type storeHealth struct {
	minFree int64
	ident   os.FileInfo // the file as it was opened, to see it removed or replaced

	mu       sync.Mutex
	corrupt  string    // what a check or a write found corrupt; kept until restart
	writeErr error     // the last write's failure; nil once a write succeeds
	probed   time.Time // when Health last tried a write while writes fail

	rescueMu sync.Mutex
	rescued  string // where a database whose file went away was copied, or why it could not be
}

// remember records the identity (device and inode) of the freshly opened file.
func (h *storeHealth) remember(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("memeriksa database %s: %w", path, err)
	}
	h.ident = fi
	return nil
}

// moved reports "dihapus" when the file at path is gone, "diganti" when path now names
// another file than the one opened, "dikosongkan" when it was truncated to nothing, and
// "" while it is the same file.
func (h *storeHealth) moved(path string) string {
	if h.ident == nil {
		return ""
	}
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return "dihapus"
	case !os.SameFile(fi, h.ident):
		return "diganti"
	case fi.Size() == 0:
		return "dikosongkan"
	}
	return ""
}

func (h *storeHealth) setCorrupt(what string) {
	h.mu.Lock()
	if h.corrupt == "" {
		h.corrupt = what
	}
	h.mu.Unlock()
}

func (h *storeHealth) corruption() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.corrupt
}

// noteWrite records the outcome of a write transaction of the queue's writer.
func (s *Store) noteWrite(err error) {
	code := storageFault(err)
	if err != nil && code == 0 {
		return // a refusal or a bug, not the card
	}
	h := &s.health
	h.mu.Lock()
	if err != nil && h.writeErr == nil {
		h.probed = time.Now() // the first probe one interval after the failure
	}
	h.writeErr = err
	h.mu.Unlock()
	if err != nil {
		storageLog.Error(fmt.Sprint("write-", code), "penulisan database gagal", "path", s.path, "err", err)
		if code == sqlite3.SQLITE_CORRUPT || code == sqlite3.SQLITE_NOTADB {
			h.setCorrupt(err.Error())
		}
	}
}

// writable is checked by the queue's writer before each transaction: while the file is
// removed or replaced, every change is refused, because a ticket written now would live
// only in a file that is gone when antrid stops.
func (s *Store) writable() error {
	what := s.health.moved(s.path)
	if what == "" {
		return nil
	}
	s.rescue()
	storageLog.Error("moved", "berkas database "+what+" saat antrid berjalan; perubahan ditolak", "path", s.path)
	return &Error{Kind: KindStorage, Msg: "Berkas database antrean " + what + " saat antrid berjalan: nomor dan perubahan tidak dapat disimpan. Hubungi teknisi."}
}

// rescue copies the database that is still open (its file gone from the folder) beside
// it, once, so that nothing acknowledged before the file went away is lost when antrid
// stops. It says where the copy is, or how to take one by hand.
func (s *Store) rescue() string {
	h := &s.health
	h.rescueMu.Lock()
	defer h.rescueMu.Unlock()
	if h.rescued != "" {
		return h.rescued
	}
	dst := s.path + ".rescued-" + time.Now().Format("20060102-150405")
	_, err := s.w.Exec(`VACUUM INTO '` + strings.ReplaceAll(dst, "'", "''") + `'`)
	if err == nil {
		h.rescued = dst
		storageLog.Error("rescue", "salinan database yang berkasnya hilang disimpan", "salinan", dst)
		return dst
	}
	h.rescued = fmt.Sprintf("salinan gagal dibuat (%v)", err)
	if fd := openDeletedFD(s.path); fd != "" {
		h.rescued += "; selama antrid masih berjalan, salin " + fd + " sebelum menghentikannya"
	}
	storageLog.Error("rescue", "database yang berkasnya hilang tidak dapat disalin", "err", err)
	return h.rescued
}

// openDeletedFD finds /proc/<pid>/fd/<n> of the removed database this process still holds.
func openDeletedFD(path string) string {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return ""
	}
	for _, e := range entries {
		link, err := os.Readlink(filepath.Join("/proc/self/fd", e.Name()))
		if err == nil && link == path+" (deleted)" {
			return "/proc/" + strconv.Itoa(os.Getpid()) + "/fd/" + e.Name()
		}
	}
	return ""
}

// failingWrites is the last write's failure. While writes fail it tries one small write
// every probeEvery, so that the fault clears as soon as the card takes writes again.
func (s *Store) failingWrites(ctx context.Context) error {
	h := &s.health
	h.mu.Lock()
	err, due := h.writeErr, time.Since(h.probed) >= probeEvery
	if err != nil && due {
		h.probed = time.Now()
	}
	h.mu.Unlock()
	if err == nil || !due {
		return err
	}
	_, perr := s.w.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('write_probe', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, time.Now().UTC().Format(time.RFC3339Nano))
	if perr != nil && ctx.Err() != nil {
		return err // the caller gave up waiting; nothing learnt
	}
	s.noteWrite(perr)
	return perr
}

// Health checks the database the way /healthz reports it: the file still the one opened,
// no corruption found, writes succeeding, the database answering, and free space above
// the threshold. Every fault found is listed, each with what to do.
func (s *Store) Health(ctx context.Context) StorageHealth {
	out := StorageHealth{Path: s.path, FreeMB: -1, MinFreeMB: s.health.minFree >> 20}
	var problems []string
	if s.w == nil {
		return StorageHealth{OK: true, Path: s.path, FreeMB: -1}
	}
	if what := s.health.moved(s.path); what != "" {
		out.Rescued = s.rescue()
		problems = append(problems, fmt.Sprintf("berkas database %s %s saat antrid berjalan; nomor baru ditolak agar tidak tersimpan di berkas yang hilang. "+
			"Salinan database yang dipakai: %s. Hentikan antrid, letakkan salinan itu sebagai %s, lalu jalankan lagi (%s)",
			s.path, what, out.Rescued, filepath.Base(s.path), recovery))
	}
	if seen, ok := corruptionSeen.Load().(string); ok && seen != "" {
		s.health.setCorrupt("sebuah permintaan menemui halaman rusak: " + seen)
	}
	if c := s.health.corruption(); c != "" {
		problems = append(problems, "database rusak: "+c+" ("+recovery+")")
	}
	if err := s.failingWrites(ctx); err != nil {
		problems = append(problems, "penulisan database gagal: "+err.Error())
	}
	if err := s.Ping(ctx); err != nil {
		problems = append(problems, "database tidak menjawab: "+err.Error())
	}
	if free, ok := freeSpace(filepath.Dir(s.path)); ok {
		out.FreeMB = free >> 20
		if free < s.health.minFree {
			problems = append(problems, fmt.Sprintf("ruang kartu SD tinggal %d MB, di bawah batas %d MB ([storage] min_free_mb): hapus berkas yang tidak perlu atau pindahkan data ke kartu yang lebih besar sebelum penuh",
				out.FreeMB, out.MinFreeMB))
		}
	}
	out.OK = len(problems) == 0
	out.Problem = strings.Join(problems, "; ")
	return out
}
