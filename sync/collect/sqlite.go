package collect

import (
	"context"

	"github.com/antri-id/antri/queue"
)

// OpenSQLite opens (creating if needed) headquarters' SQLite database at path, the same
// way the office opens its own (queue.OpenSQLite).
func OpenSQLite(ctx context.Context, path string) (Store, error) {
	db, err := queue.OpenSQLite(path)
	if err != nil {
		return nil, err
	}
	s := &sqlStore{w: db.W, r: db.R, rowsPer: 500}
	if err := s.init(ctx); err != nil {
		db.W.Close()
		db.R.Close()
		return nil, err
	}
	return s, nil
}
