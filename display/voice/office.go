package voice

import (
	"slices"
	"strings"

	"github.com/antri-id/antri/queue"
)

// RequestFor is the Request of a call of ticket number to counter k in office cfg: the
// counter's spoken text or name, the service of the number's prefix (its spoken text or
// name) unless [voice] say_service is false, and the [voice] options.
func RequestFor(cfg *queue.Config, number string, k queue.CounterConfig) Request {
	r := Request{Number: number, Counter: or(k.Spoken, k.Name), CounterID: k.ID, Repeat: cfg.Voice.Repeat, ChimeOnly: cfg.Voice.ChimeOnly}
	if s, ok := cfg.Service(serviceCode(number)); ok && cfg.Voice.SaysService() {
		r.Service = or(s.Spoken, s.Name)
	}
	return r
}

// serviceCode is the prefix of a ticket number: "PA" of "PA-012".
func serviceCode(number string) string {
	s := strings.TrimSpace(number)
	i := 0
	for i < len(s) && isLetter(s[i]) {
		i++
	}
	return strings.ToUpper(s[:i])
}

// OfficeTokens returns every clip token a call of office cfg can use, sorted: the
// built-in ones and the words of every service's and counter's spoken text or name (and
// counter id). A Library prepares them; the display serves no other clip.
func OfficeTokens(cfg *queue.Config) []string {
	set := map[string]bool{}
	for _, t := range Tokens() {
		set[t] = true
	}
	add := func(text string) {
		for _, t := range Say(text) {
			set[t] = true
		}
	}
	for _, s := range cfg.Services {
		add(or(s.Spoken, s.Name))
	}
	for _, k := range cfg.Counters {
		add(or(k.Spoken, k.Name))
		add(k.ID)
	}
	out := make([]string, 0, len(set))
	for t := range set {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

func or(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}
