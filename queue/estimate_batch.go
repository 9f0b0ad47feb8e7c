package queue

// A burst of tickets (a kiosk row at opening time, a school group) is a batch of Issue
// commands. Counting the people ahead of each new ticket in SQL walks every waiting
// ticket of its service, so 200 tickets into a queue of 2,000 counted 400,000 rows, two
// thirds of the writer's CPU. Within one batch, as long as only tickets are issued,
// the counts move by one per ticket: batchCounts keeps them, and anything else
// (another command, a refused one) forgets them.

// batchCounts are the waiting tickets per service (normal, priority) and each
// service's estimate inputs, as the batch's transaction has them so far.
type batchCounts struct {
	waiting map[string]*[2]int // service → waiting [normal, priority], this batch's tickets included
	inputs  map[string]waitInputs
}

// forget drops everything: a command other than a successful Issue may have called,
// transferred, expired or rolled back tickets.
func (b *batchCounts) forget() { *b = batchCounts{} }

// estimateIssued fills tk's place and estimate, tk being the ticket this transaction
// has just added to its service's queue: the last of those with its priority.
func (t *txn) estimateIssued(tk *Ticket) error {
	b := t.counts
	if b == nil { // outside the writer's batches (restore, tests)
		b = &batchCounts{}
	}
	if b.waiting == nil {
		b.waiting, b.inputs = map[string]*[2]int{}, map[string]waitInputs{}
	}
	n, ok := b.waiting[tk.Service]
	if ok {
		n[prio(tk.Priority)]++
	} else {
		n = &[2]int{}
		rows, err := t.tx.QueryContext(t.ctx, `SELECT priority, count(*) FROM tickets WHERE stage IN ('issued', 'transferred')
			AND service = ? GROUP BY priority`, tk.Service)
		if err != nil {
			return err
		}
		for rows.Next() {
			var p bool
			var c int
			if err := rows.Scan(&p, &c); err != nil {
				rows.Close()
				return err
			}
			n[prio(p)] += c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		b.waiting[tk.Service] = n
	}
	ahead := n[1] - 1 // every priority ticket is ahead, and this one is the last of its kind
	if !tk.Priority {
		ahead = n[1] + n[0] - 1
	}
	in, ok := b.inputs[tk.Service]
	if !ok {
		var err error
		if in, err = waitInputsOf(t.ctx, t.tx, t.q.cfg, tk); err != nil {
			return err
		}
		b.inputs[tk.Service] = in
	}
	in.fill(tk, ahead)
	return nil
}

func prio(p bool) int {
	if p {
		return 1
	}
	return 0
}
