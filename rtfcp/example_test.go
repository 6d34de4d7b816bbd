package rtfcp_test

import (
	"fmt"
	"log"

	"github.com/mapiemu/mapiemu/rtfcp"
)

func Example() {
	rtf := []byte(`{\rtf1\ansi\ansicpg1252\pard hello world}` + "\r\n")

	// Compress gives the LZFu form of PR_RTF_COMPRESSED.
	c, err := rtfcp.Compress(rtf)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d bytes of RTF, %d compressed, type %s\n", len(rtf), len(c), c[8:12])

	// Decompress reads it (and the MELA form) back.
	back, err := rtfcp.Decompress(c)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q\n", back)

	u := rtfcp.Uncompressed(rtf)
	fmt.Printf("uncompressed form: %d bytes, type %s\n", len(u), u[8:12])
	// Output:
	// 43 bytes of RTF, 49 compressed, type LZFu
	// "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n"
	// uncompressed form: 59 bytes, type MELA
}
