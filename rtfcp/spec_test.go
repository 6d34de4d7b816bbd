package rtfcp

import (
	"bytes"
	"testing"
)

func TestSpecVectors(t *testing.T) {
	for _, v := range specVectors {
		t.Run(v.name, func(t *testing.T) {
			if got := CRC(v.comp[headerSize:]); got != v.crc {
				t.Errorf("CRC(contents) = %#08x, want %#08x", got, v.crc)
			}
			got, err := Compress([]byte(v.rtf))
			if err != nil || !bytes.Equal(got, v.comp) {
				t.Errorf("Compress(%q) = % x, %v, want % x", v.rtf, got, err, v.comp)
			}
			raw, err := Decompress(v.comp)
			if err != nil || string(raw) != v.rtf {
				t.Errorf("Decompress(% x) = %q, %v, want %q", v.comp, raw, err, v.rtf)
			}
		})
	}
}
