package collect

import (
	"context"
	"database/sql"
	"fmt"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// OpenPostgres connects to the PostgreSQL database named by dsn (e.g.
// "postgres://antri@localhost/antri") and applies the migrations it lacks.
func OpenPostgres(ctx context.Context, dsn string) (Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("alamat postgres tidak valid: %w", err)
	}
	db.SetMaxOpenConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("tidak bisa terhubung ke postgres: %w (periksa server berjalan, nama pengguna dan database di `postgres`)", err)
	}
	s := &sqlStore{w: db, r: db, d: postgresDialect, rowsPer: 2000}
	return s.open(ctx)
}
