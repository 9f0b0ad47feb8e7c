package display_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/antri-id/antri/deploy"
	"github.com/antri-id/antri/display"
	"github.com/antri-id/antri/queue"
)

// The waiting-room display asks the server which voice clips announce a call, so the
// Indonesian number words and the way names are said live only in package voice. The
// example office says its KTP-el service by its spoken text, the acronym spelled.
func Example_voiceCall() {
	cfg, _ := queue.ParseConfig("antrid.example.toml", deploy.ExampleConfig) // its Loket 3 serves B
	dir, _ := os.MkdirTemp("", "antri-example")
	defer os.RemoveAll(dir)
	store, _ := queue.OpenStore(filepath.Join(dir, "antri.db"))
	defer store.Close()
	hub := display.NewHub()
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go hub.Run(ctx)
	q := queue.New(cfg, store, nil)
	defer q.Close()
	srv := display.New(display.Options{Queue: q, Hub: hub, DataDir: dir})
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	resp, err := http.Get(ts.URL + "/api/voice/B-012/3")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var v display.VoiceCall
	json.NewDecoder(resp.Body).Decode(&v)
	fmt.Println(v.Phrase)
	fmt.Println(v.Clips[0], v.Clips[len(v.Clips)-1])
	// Output:
	// Nomor antrean, B, dua belas, perekaman dan pencetakan K T P elektronik, silakan menuju loket tiga
	// /voice/chime.ogg /voice/tiga.ogg
}
