package display

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/antri-id/antri/display/browsertest"
)

// seen records the POST requests a handler answered: path, Origin, type and status.
type seen struct {
	mu   sync.Mutex
	reqs []string
}

func (s *seen) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			h.ServeHTTP(w, r) // the websocket needs the connection itself
			return
		}
		rec := &statusRecorder{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		s.mu.Lock()
		s.reqs = append(s.reqs, r.Method+" "+r.URL.Path+" origin="+r.Header.Get("Origin")+" type="+r.Header.Get("Content-Type")+" → "+http.StatusText(rec.status))
		s.mu.Unlock()
	})
}

func (s *seen) posts() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.reqs...)
}

// TestBrowserCrossSitePageCannotIssue: a page of another site, opened in a real browser
// (even the appliance's own, on 127.0.0.1, a trusted address), tries what issue 10's
// attacker did: a no-cors fetch with a text/plain body, and a form posted as text/plain
// that looks like JSON. Before, tickets were issued. Now both reach antrid and are
// refused for their Origin, and no ticket exists.
func TestBrowserCrossSitePageCannotIssue(t *testing.T) {
	o := newOffice(t)
	b := browsertest.New(t)
	var log seen
	antrid := httptest.NewServer(log.wrap(o.srv.Handler()))
	defer antrid.Close()
	target := antrid.URL + "/api/tickets"
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><title>Hadiah!</title>
<form id="f" method="POST" action="` + target + `" enctype="text/plain" target="sink"><input name='{"service":"A","x":"' value='y"}'></form>
<iframe name="sink"></iframe>
<script>
window.done = false;
fetch(` + js(target) + `, {method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'text/plain'}, body: '{"service":"A"}'})
  .catch(() => {})
  .finally(() => { document.getElementById('f').submit(); window.done = true; });
</script>`))
	}))
	defer evil.Close()

	page := tab(t, b, evil.URL+"/", 1280, 800)
	waitJS(t, page, "the page's fetch and form sent", `window.done === true`)
	deadline := time.Now().Add(pageWait)
	for len(log.posts()) < 2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	posts := log.posts()
	if len(posts) < 2 {
		t.Fatalf("the attack did not reach antrid (the test proves nothing): %q", posts)
	}
	for _, p := range posts {
		if !strings.Contains(p, "origin="+evil.URL) || !strings.HasSuffix(p, "→ Forbidden") {
			t.Errorf("cross-site request not refused for its origin: %s", p)
		}
	}
	t.Logf("antrid saw: %q", posts)
	st, err := o.q.State(context.Background())
	if err != nil || len(st.Waiting) != 0 {
		t.Fatalf("tickets issued by another site's page: %d (%v)", len(st.Waiting), err)
	}
	// The kiosk page of the appliance itself still issues (same origin, JSON).
	kiosk := tab(t, b, antrid.URL+"/kiosk", 1280, 800)
	waitJS(t, kiosk, "the kiosk's buttons", `document.querySelectorAll("button[data-service]").length === 2`)
	click(t, kiosk, `button[data-service="A"]`)
	waitJS(t, kiosk, "the kiosk's ticket", textOf("kiosk-number")+` === "A-001"`)
}
