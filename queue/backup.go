package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"time"

	"modernc.org/sqlite"
)

// BackupOptions tune Backup. The zero value copies 1 MiB a step with a short pause
// between steps, so that the card's reads for the backup leave room for the queue's own
// writes.
type BackupOptions struct {
	PagesPerStep int           // pages copied per step (default 256)
	Pause        time.Duration // between steps (default 5ms; negative: none)
	// Step, when set, is called after each step with the pages copied so far and the
	// total: the tests issue tickets there, while the backup holds its snapshot.
	Step func(done, total int)
}

// Backup copies the SQLite database at src into a new file dst, as it was at the
// instant the backup began, while antrid goes on using src (SQLite's online backup, one
// step at a time). It holds a read transaction on src for the whole copy: in WAL mode a
// reader never blocks the writer, so tickets are issued as usual meanwhile, and the
// snapshot never changes under the copy (the copy is never restarted by those writes).
// dst is written in rollback-journal mode, one self-contained file, and checked with
// PRAGMA quick_check before Backup returns.
func Backup(ctx context.Context, src, dst string, o BackupOptions) error {
	if o.PagesPerStep <= 0 {
		o.PagesPerStep = 256
	}
	if o.Pause == 0 {
		o.Pause = 5 * time.Millisecond
	}
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("database %s tidak ada: %w", src, err)
	}
	db, err := sql.Open("sqlite", "file:"+src+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("membuka %s: %w", src, err)
	}
	defer conn.Close()
	// The snapshot: every step reads inside this one read transaction.
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil {
		return fmt.Errorf("membaca %s: %w", src, err)
	}
	err = conn.Raw(func(dc any) error {
		b, err := dc.(interface {
			NewBackup(string) (*sqlite.Backup, error)
		}).NewBackup("file:" + dst)
		if err != nil {
			return fmt.Errorf("membuat salinan %s: %w", dst, err)
		}
		for {
			more, err := b.Step(int32(o.PagesPerStep))
			if err != nil {
				b.Finish()
				return fmt.Errorf("menyalin database: %w", err)
			}
			if o.Step != nil {
				total := b.PageCount()
				o.Step(total-b.Remaining(), total)
			}
			if !more {
				break
			}
			if err := ctx.Err(); err != nil {
				b.Finish()
				return err
			}
			if o.Pause > 0 {
				time.Sleep(o.Pause)
			}
		}
		return b.Finish()
	})
	if err != nil {
		return err
	}
	return finishCopy(ctx, dst)
}

// finishCopy turns the copy into one file (rollback journal), checks it, and makes it
// durable.
func finishCopy(ctx context.Context, path string) error {
	d, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	d.SetMaxOpenConns(1)
	var mode, check string
	err = d.QueryRowContext(ctx, "PRAGMA journal_mode = DELETE").Scan(&mode)
	if err == nil {
		err = d.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&check)
	}
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("memeriksa salinan %s: %w", path, err)
	}
	if check != "ok" {
		return fmt.Errorf("salinan %s rusak menurut quick_check: %s", path, check)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// OfficeOf is the office whose events the database at path holds ("" when it holds
// none), read without changing it: a backup must be restored by its own office.
func OfficeOf(ctx context.Context, path string) (string, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return "", err
	}
	defer db.Close()
	var office sql.NullString
	err = db.QueryRowContext(ctx, `SELECT json_extract(body, '$.office') FROM events ORDER BY seq LIMIT 1`).Scan(&office)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("%s bukan database antrean antrid: %w", path, err)
	}
	return office.String, nil
}
