package collect

import (
	"context"

	"github.com/antri-id/antri/queue"
)

// OpenSQLite opens (creating if needed) headquarters' SQLite database at path, the same
// way the office opens its own (queue.OpenSQLite), and applies the migrations it lacks.
func OpenSQLite(ctx context.Context, path string) (Store, error) {
	db, err := queue.OpenSQLite(path)
	if err != nil {
		return nil, err
	}
	s := &sqlStore{w: db.W, r: db.R, d: sqliteDialect, rowsPer: 500}
	return s.open(ctx)
}
