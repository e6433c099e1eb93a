package graph

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// A spooled file is noise on disk and reads back exactly, from any offset.
func TestSpoolFilesAreEncryptedAndSeekable(t *testing.T) {
	plain := bytes.Repeat([]byte("PASSPORT P1234567 "), 12000) // 216 KB
	for name, tweak := range map[string]func(*spoolKey){
		"random counter": func(*spoolKey) {},
		// The counter's low half wraps inside the file.
		"counter wraps": func(k *spoolKey) { binary.BigEndian.PutUint64(k.iv[8:], ^uint64(0)-3) },
	} {
		key, err := newSpoolKey()
		if err != nil {
			t.Fatal(err)
		}
		tweak(key)
		path := filepath.Join(t.TempDir(), "spool")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		w := key.writer(f)
		// Written in uneven pieces, as io.Copy would.
		for rest := plain; len(rest) > 0; {
			n := min(len(rest), 1000+len(rest)%4093)
			if _, err := w.Write(rest[:n]); err != nil {
				t.Fatal(err)
			}
			rest = rest[n:]
		}
		_ = f.Close()
		onDisk, _ := os.ReadFile(path)
		if len(onDisk) != len(plain) || bytes.Contains(onDisk, []byte("PASSPORT")) {
			t.Fatalf("%s: the spooled file holds the plain text (%d bytes)", name, len(onDisk))
		}

		h, _ := os.Open(path)
		defer h.Close()
		r := &spoolReader{f: h, key: key, size: int64(len(plain))}
		all, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(all, plain) {
			t.Fatalf("%s: read back %d bytes (%v), want the original", name, len(all), err)
		}
		for _, off := range []int64{0, 1, 15, 16, 17, 63, 64, 65, 100003, int64(len(plain)) - 1} {
			if _, err := r.Seek(off, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 37)
			n, _ := io.ReadFull(r, buf)
			if !bytes.Equal(buf[:n], plain[off:off+int64(n)]) {
				t.Fatalf("%s: at offset %d read %q, want %q", name, off, buf[:n], plain[off:off+int64(n)])
			}
		}
	}
	// Two files never share a key stream.
	a, _ := newSpoolKey()
	b, _ := newSpoolKey()
	za, zb := make([]byte, 64), make([]byte, 64)
	a.streamAt(0).XORKeyStream(za, za)
	b.streamAt(0).XORKeyStream(zb, zb)
	if bytes.Equal(za, zb) {
		t.Fatal("two spool keys gave the same stream")
	}
}
