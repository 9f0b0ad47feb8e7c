package queue

import (
	"database/sql"
	"errors"
	"slices"
	"strings"
)

// toCall finds the ticket a counter calls: the named one (today's, waiting, of a
// service the counter serves), or with number "" the next in call order over the
// counter's services, priority first.
func (t *txn) toCall(k CounterConfig, number string) (*record, error) {
	if number = strings.ToUpper(strings.TrimSpace(number)); number != "" {
		r, err := t.todaysTicket(number)
		if err != nil {
			return nil, err
		}
		if !r.Stage.Waiting() {
			return nil, refuse(KindConflict, "%s tidak sedang menunggu: %s", r.Number, stageWords(r))
		}
		if !slices.Contains(k.Services, r.Service) {
			return nil, refuse(KindConflict, "%s menunggu layanan %s, yang tidak dilayani %s; panggil dari loket layanan itu", r.Number, r.Service, k.Name)
		}
		return r, nil
	}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(k.Services)), ",")
	args := []any{}
	for _, s := range k.Services {
		args = append(args, s)
	}
	r, err := loadRecord(t.ctx, t.tx, `stage IN ('issued', 'transferred') AND service IN (`+ph+`)
		ORDER BY priority DESC, queue_seq LIMIT 1`, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, refuse(KindNotFound, "tidak ada antrean menunggu untuk %s", k.Name)
	}
	return r, err
}

// todaysTicket loads today's ticket by number, or refuses with what to check.
func (t *txn) todaysTicket(number string) (*record, error) {
	day := t.day
	r, err := loadRecord(t.ctx, t.tx, `day = ? AND number = ?`, day, number)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, refuse(KindNotFound, "nomor %s tidak ada hari ini (%s); periksa lagi nomornya", number, day)
	}
	return r, err
}

// stageWords says where a ticket is, for a refusal: "sedang dilayani di loket 2".
func stageWords(r *record) string {
	switch r.Stage {
	case StageCalled:
		return "sedang dipanggil ke loket " + r.Counter
	case StageStarted:
		return "sedang dilayani di loket " + r.Counter
	case StageFinished:
		return "sudah selesai dilayani"
	case StageNoShow:
		return "tercatat tidak hadir; kembalikan ke antrean dulu"
	case StageExpired:
		return "sudah kedaluwarsa saat hari ditutup"
	}
	return "masih menunggu"
}
