package display

import (
	"net/netip"
	"sync"
	"time"
)

// maxTrackedClients bounds the memory of a rateLimiter: an attacker who makes up
// addresses (every IPv6 /64, a spoofed IPv4 range) cannot grow it past this. At about
// 100 bytes an entry it is under a megabyte.
const maxTrackedClients = 8192

// rateLimiter lets each untrusted client do one thing (take a ticket, send a survey,
// file a complaint) perHour times an hour: a token bucket per client that starts full
// and refills one token every hour/perHour. Its state is in memory: a restart of antrid
// forgives everyone, which costs an attacker a reboot they cannot cause.
type rateLimiter struct {
	perHour int
	max     int // clients tracked at most
	now     func() time.Time

	mu      sync.Mutex
	clients map[netip.Prefix]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newRateLimiter(perHour int) *rateLimiter {
	return &rateLimiter{perHour: perHour, max: maxTrackedClients, now: time.Now, clients: map[netip.Prefix]*bucket{}}
}

// clientKey is who a limit counts: one IPv4 address, or one IPv6 /64 (what one device
// or one home gets; a phone picks new addresses within it at will).
func clientKey(a netip.Addr) netip.Prefix {
	a = a.Unmap()
	if a.Is4() {
		return netip.PrefixFrom(a, 32)
	}
	p, _ := a.Prefix(64)
	return p
}

// refill brings b up to now and reports its tokens.
func (l *rateLimiter) refill(b *bucket, now time.Time) float64 {
	b.tokens += now.Sub(b.at).Hours() * float64(l.perHour)
	if b.tokens > float64(l.perHour) {
		b.tokens = float64(l.perHour)
	}
	b.at = now
	return b.tokens
}

// take spends one of key's tokens. When there is none it reports how long until the
// next one; full is true when no token is left because too many clients are tracked
// (then retry is a guess: a minute).
func (l *rateLimiter) take(key netip.Prefix) (ok bool, retry time.Duration, full bool) {
	if l.perHour <= 0 {
		return false, time.Hour, false
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.clients[key]
	if b == nil {
		if len(l.clients) >= l.max {
			l.prune(now)
		}
		if len(l.clients) >= l.max {
			return false, time.Minute, true
		}
		b = &bucket{tokens: float64(l.perHour), at: now}
		l.clients[key] = b
	}
	if l.refill(b, now) < 1 {
		missing := 1 - b.tokens
		return false, time.Duration(missing / float64(l.perHour) * float64(time.Hour)), false
	}
	b.tokens--
	return true, 0, false
}

// giveBack returns a token taken for something that did not happen (a refused request):
// a citizen who mistyped loses nothing.
func (l *rateLimiter) giveBack(key netip.Prefix) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b := l.clients[key]; b != nil {
		b.tokens++
		if b.tokens > float64(l.perHour) {
			b.tokens = float64(l.perHour)
		}
	}
}

// prune forgets the clients whose bucket is full again: they are the same as unknown.
func (l *rateLimiter) prune(now time.Time) {
	for k, b := range l.clients {
		if l.refill(b, now) >= float64(l.perHour) {
			delete(l.clients, k)
		}
	}
}

// tracked is how many clients the limiter remembers now.
func (l *rateLimiter) tracked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.clients)
}
