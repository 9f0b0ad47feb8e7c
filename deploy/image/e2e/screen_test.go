//go:build e2e

package e2e

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// screenShows waits until the kiosk's Chromium shows /display with want in
// its text, read from the DOM through DevTools (the agent forwards the VM's
// loopback port). It returns the text and the time since qemu started.
func (v *vm) screenShows(t *testing.T, want string, d time.Duration) (string, time.Duration) {
	t.Helper()
	var text string
	var last error
	t.Cleanup(func() {
		if t.Failed() { // what the screen showed last, to tell a blank page from none
			t.Logf("the kiosk's /display last read: error %v, text %q", last, text)
		}
	})
	at := v.waitFor(fmt.Sprintf("%q on the kiosk screen", want), d, func() bool {
		s, err := v.pageText("/display")
		if last = err; err != nil {
			return false
		}
		text = s
		return strings.Contains(s, want)
	})
	if !strings.Contains(text, officeName) {
		t.Errorf("the board does not name the office %q:\n%s", officeName, text)
	}
	return text, at
}

// pageText is document.body.innerText of the kiosk's tab whose address
// contains page (its /display, or the first-boot error page), by one
// Runtime.evaluate over the tab's DevTools websocket (the kiosk's own tab,
// left as it is).
func (v *vm) pageText(page string) (string, error) {
	var pages []struct {
		Type, URL            string
		WebSocketDebuggerURL string `json:"webSocketDebuggerUrl"`
	}
	if err := v.get("http://"+v.devtool+"/json/list", "", &pages); err != nil {
		return "", err
	}
	ws := ""
	for _, p := range pages {
		if p.Type == "page" && strings.Contains(p.URL, page) {
			ws = p.WebSocketDebuggerURL
		}
	}
	if ws == "" {
		return "", fmt.Errorf("no %s tab among %d DevTools targets", page, len(pages))
	}
	u, err := url.Parse(ws)
	if err != nil {
		return "", err
	}
	u.Host = v.devtool // the VM's 127.0.0.1:9222, as forwarded to the host
	d := websocket.Dialer{HandshakeTimeout: 20 * time.Second}
	c, _, err := d.Dial(u.String(), nil)
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(30 * time.Second))
	req := map[string]any{"id": 1, "method": "Runtime.evaluate", "params": map[string]any{
		"expression": `document.body ? document.body.innerText : ""`, "returnByValue": true}}
	if err := c.WriteJSON(req); err != nil {
		return "", err
	}
	for {
		var res struct {
			ID     int `json:"id"`
			Result struct {
				Result struct {
					Value string `json:"value"`
				} `json:"result"`
			} `json:"result"`
			Error *struct{ Message string } `json:"error"`
		}
		if err := c.ReadJSON(&res); err != nil {
			return "", err
		}
		if res.ID != 1 {
			continue // an event
		}
		if res.Error != nil {
			return "", fmt.Errorf("Runtime.evaluate: %s", res.Error.Message)
		}
		return res.Result.Result.Value, nil
	}
}

// screendump saves what the virtual GPU shows (the HDMI output) as PNG.
func (v *vm) screendump(to string) error {
	ppm := filepath.Join(filepath.Dir(to), "screen.ppm")
	defer os.Remove(ppm)
	if out, err := v.monitorCmd("screendump " + ppm); err != nil {
		return fmt.Errorf("%v: %s", err, out)
	}
	var img image.Image
	var err error
	for i := 0; i < 20; i++ { // qemu writes the file asynchronously
		if img, err = readPPM(ppm); err == nil {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if err != nil {
		return err
	}
	f, err := os.Create(to)
	if err != nil {
		return err
	}
	defer f.Close()
	return png.Encode(f, img)
}

// readPPM reads the binary PPM (P6, maxval 255) qemu's screendump writes.
func readPPM(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	var w, h, max int
	if _, err := fmt.Fscanf(r, "P6\n%d %d\n%d\n", &w, &h, &max); err != nil || max != 255 {
		return nil, fmt.Errorf("%s: not a P6 PPM with maxval 255: %v", path, err)
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	px := make([]byte, 3)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if _, err := io.ReadFull(r, px); err != nil {
				return nil, fmt.Errorf("%s: cut short at %d,%d: %v", path, x, y, err)
			}
			img.Set(x, y, color.RGBA{px[0], px[1], px[2], 255})
		}
	}
	return img, nil
}
