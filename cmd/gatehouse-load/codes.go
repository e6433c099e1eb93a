package main

import (
	"regexp"
	"strings"
	"sync"
)

// In dev, the console SMS and e-mail senders write each message, code
// included, to the server's log (README: msg="dev sms ..." to=… text="…").
// The tool answers codes from there, as a reader of README does.
var (
	devMessage = regexp.MustCompile(`msg="dev (?:sms|email)[^"]*" to=("[^"]*"|\S+) .*?text="((?:[^"\\]|\\.)*)"`)
	sixDigits  = regexp.MustCompile(`\b\d{6}\b`)
)

// parseDevMessage returns the destination and code of a console sender's
// log line; ok is false for any other line.
func parseDevMessage(line string) (to, code string, ok bool) {
	m := devMessage.FindStringSubmatch(line)
	if m == nil {
		return "", "", false
	}
	code = sixDigits.FindString(m[2])
	return strings.Trim(m[1], `"`), code, code != ""
}

// codeBook hands each logged code to whoever said it expects one for that
// destination. A caller registers (expect) before the request that sends
// the code, so a code logged before the answer arrives is not missed.
type codeBook struct {
	mu      sync.Mutex
	waiting map[string]chan string
}

func newCodeBook() *codeBook { return &codeBook{waiting: map[string]chan string{}} }

// expect returns the channel the next code for to will arrive on.
func (b *codeBook) expect(to string) <-chan string {
	ch := make(chan string, 1)
	b.mu.Lock()
	b.waiting[to] = ch
	b.mu.Unlock()
	return ch
}

// forget drops a registration whose request failed.
func (b *codeBook) forget(to string) {
	b.mu.Lock()
	delete(b.waiting, to)
	b.mu.Unlock()
}

// line reads one log line; codes nobody waits for are dropped.
func (b *codeBook) line(line string) {
	to, code, ok := parseDevMessage(line)
	if !ok {
		return
	}
	b.mu.Lock()
	ch := b.waiting[to]
	delete(b.waiting, to)
	b.mu.Unlock()
	if ch != nil {
		ch <- code
	}
}
