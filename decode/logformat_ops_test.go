package decode

import (
	"math/rand"
	"testing"
)

// TestTokenEnd: the word-at-a-time search finds what the byte loop finds,
// at every start, for every stop byte, over bytes of every value (the
// carry trick must not be fooled by bytes >= 0x80 or by a match just
// below another).
func TestTokenEnd(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	alphabet := []byte{'a', ' ', ']', '/', 0x00, 0x7f, 0x80, 0xff, 0xa0, 0x5d | 0x80, '!', 0x21}
	for n := 0; n < 20000; n++ {
		b := make([]byte, r.Intn(40))
		for i := range b {
			if r.Intn(3) == 0 {
				b[i] = alphabet[r.Intn(len(alphabet))]
			} else {
				b[i] = byte(r.Intn(256))
			}
		}
		stop := alphabet[r.Intn(len(alphabet))]
		for pos := 0; pos <= len(b); pos++ {
			want := pos
			for want < len(b) && b[want] != stop && b[want] != ' ' {
				want++
			}
			if got := tokenEnd(b, pos, stop); got != want {
				t.Fatalf("tokenEnd(%q, %d, %q) = %d, want %d", b, pos, stop, got, want)
			}
		}
	}
}
