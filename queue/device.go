package queue

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Device events: the admin paired a device or revoked it. Their Data is the Device
// (never its token). They name no counter, so only the admin's pages see them.
const (
	EventDevicePaired  = "device_paired"
	EventDeviceRevoked = "device_revoked"
)

// DeviceKind is what a paired device is for.
type DeviceKind string

// The kinds of paired device: a counter's PC or tablet (it acts for one counter, as its
// token does), and a kiosk tablet (it takes tickets as the appliance's own kiosk does).
const (
	DeviceCounter DeviceKind = "counter"
	DeviceKiosk   DeviceKind = "kiosk"
)

// Device is a device the admin paired: it holds a long random token, shown once when it
// is paired, which lets it act as its kind says until the admin revokes it. Only the
// token's SHA-256 is stored.
type Device struct {
	ID        int64      `json:"id"`
	Kind      DeviceKind `json:"kind"`
	Counter   string     `json:"counter,omitempty"` // for a counter device
	Name      string     `json:"name"`
	PairedAt  time.Time  `json:"paired_at"`
	RevokedAt *time.Time `json:"revoked_at"`
}

// deviceTokenBytes is the randomness of a device token: 256 bits, written as 43
// characters of base64url, which nobody guesses and nobody has to type (it travels in a
// link or a QR code).
const deviceTokenBytes = 32

// HashDeviceToken is how a device token is stored and looked up.
func HashDeviceToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// PairDevice pairs a new device. Pass a pointer to Do: afterwards Device is the device
// as stored and Token its token, which exists nowhere else — give it to the device
// once (a link or QR code); a lost token means pairing the device again.
type PairDevice struct {
	Kind    DeviceKind
	Counter string // for a counter device
	Name    string // how the admin's list names it; optional

	Device Device // set by Do
	Token  string // set by Do
}

func (c *PairDevice) apply(t *txn) (*Ticket, error) {
	name := strings.Join(strings.Fields(c.Name), " ")
	if utf8.RuneCountInString(name) > MaxNameRunes {
		return nil, refuse(KindInvalid, "nama perangkat terlalu panjang; paling banyak %d huruf", MaxNameRunes)
	}
	counter := ""
	switch c.Kind {
	case DeviceCounter:
		k, ok := t.q.cfg.Counter(c.Counter)
		if !ok {
			return nil, refuse(KindInvalid, "loket %q tidak ada; pilih loket dari konfigurasi kantor", c.Counter)
		}
		counter = k.ID
		if name == "" {
			name = "Perangkat " + k.Name
		}
	case DeviceKiosk:
		if c.Counter != "" {
			return nil, refuse(KindInvalid, "perangkat kios tidak terikat pada loket; kosongkan \"counter\"")
		}
		if name == "" {
			name = "Tablet kios"
		}
	default:
		return nil, refuse(KindInvalid, `jenis perangkat %q tidak dikenal; pakai "counter" (loket) atau "kiosk"`, c.Kind)
	}
	raw := make([]byte, deviceTokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("membuat token perangkat: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO devices (kind, counter, name, token_hash, paired) VALUES (?, ?, ?, ?, ?)`,
		c.Kind, counter, name, HashDeviceToken(token), t.now.String())
	if err != nil {
		return nil, fmt.Errorf("menyimpan perangkat: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return nil, err
	}
	d, err := loadDevice(t.ctx, t.tx, t.q.cfg.Location, `id = ?`, id)
	if err != nil {
		return nil, err
	}
	c.Device, c.Token = d, token
	return nil, t.emit(EventDevicePaired, nil, "", "", d)
}

// RevokeDevice ends a paired device's rights at once: its requests are refused (401)
// and its open websocket closed. The device stays listed, revoked.
type RevokeDevice struct {
	ID int64

	Device Device // set by Do when passed as a pointer
}

func (c *RevokeDevice) apply(t *txn) (*Ticket, error) {
	d, err := loadDevice(t.ctx, t.tx, t.q.cfg.Location, `id = ?`, c.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, refuse(KindNotFound, "perangkat nomor %d tidak ada", c.ID)
	}
	if err != nil {
		return nil, err
	}
	if d.RevokedAt != nil {
		return nil, refuse(KindConflict, "perangkat %d (%s) sudah dicabut", d.ID, d.Name)
	}
	if _, err := t.tx.ExecContext(t.ctx, `UPDATE devices SET revoked = ? WHERE id = ?`, t.now.String(), c.ID); err != nil {
		return nil, err
	}
	if d, err = loadDevice(t.ctx, t.tx, t.q.cfg.Location, `id = ?`, c.ID); err != nil {
		return nil, err
	}
	c.Device = d
	return nil, t.emit(EventDeviceRevoked, nil, "", "", d)
}

const deviceCols = `id, kind, counter, name, paired, revoked`

func scanDevice(sc interface{ Scan(...any) error }, loc *time.Location) (Device, error) {
	var d Device
	var paired, revoked string
	if err := sc.Scan(&d.ID, &d.Kind, &d.Counter, &d.Name, &paired, &revoked); err != nil {
		return d, err
	}
	p, err := ParseInstant(paired)
	if err != nil {
		return d, err
	}
	r, err := ParseInstant(revoked)
	if err != nil {
		return d, err
	}
	d.PairedAt, d.RevokedAt = p.Wall.In(loc), timeOf(r, loc)
	return d, nil
}

func loadDevice(ctx context.Context, db querier, loc *time.Location, where string, args ...any) (Device, error) {
	return scanDevice(db.QueryRowContext(ctx, `SELECT `+deviceCols+` FROM devices WHERE `+where, args...), loc)
}

// Devices lists every paired device, revoked ones too, newest first.
func (q *Queue) Devices(ctx context.Context) ([]Device, error) {
	rows, err := q.store.r.QueryContext(ctx, `SELECT `+deviceCols+` FROM devices ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Device{}
	for rows.Next() {
		d, err := scanDevice(rows, q.cfg.Location)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DeviceByToken finds the paired device a token belongs to; ok is false when none
// does or it was revoked. It reads the store, so a revocation Do has answered is
// already in force.
func (q *Queue) DeviceByToken(ctx context.Context, token string) (d Device, ok bool, err error) {
	if len(token) < 16 {
		return d, false, nil // a device token is 43 characters; shorter ones are something else
	}
	d, err = loadDevice(ctx, q.store.r, q.cfg.Location, `token_hash = ? AND revoked = ''`, HashDeviceToken(token))
	if errors.Is(err, sql.ErrNoRows) {
		return d, false, nil
	}
	return d, err == nil, err
}
