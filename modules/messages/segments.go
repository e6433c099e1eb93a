package messages

import (
	"strings"
	"unicode/utf8"
)

// MaxSMSSegments bounds a rendered SMS (with sample data): past it a
// message costs more than three segments on every send, and an
// operator's template that grew by mistake is refused at start instead.
const MaxSMSSegments = 3

// GSM 03.38: the basic set costs one septet a character, the extension
// set two (an escape first). Text with anything else goes as UCS-2.
const (
	gsmBasic     = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsmExtension = "^{}\\[~]|€\f"
)

// smsSegments is how many segments text takes: one of 160 GSM-7
// characters (70 UCS-2 code units), or, when longer, segments of 153 (67)
// as concatenation's header takes room.
func smsSegments(text string) int {
	septets, gsm := 0, true
	for _, r := range text {
		switch {
		case strings.ContainsRune(gsmBasic, r):
			septets++
		case strings.ContainsRune(gsmExtension, r):
			septets += 2
		default:
			gsm = false
		}
	}
	units, single, multi := septets, 160, 153
	if !gsm {
		units, single, multi = utf16Units(text), 70, 67
	}
	if units <= single {
		return 1
	}
	return (units + multi - 1) / multi
}

func utf16Units(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 && utf8.ValidRune(r) {
			n += 2
		} else {
			n++
		}
	}
	return n
}
