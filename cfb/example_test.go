package cfb_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/mapiemu/mapiemu/cfb"
)

// Build a tiny .msg-like file, open it again and print its tree.
func Example() {
	b := cfb.NewBuilder(cfb.V3)
	root := b.Root()
	root.SetCLSID(cfb.CLSID{0x0B, 0x0D, 0x02, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46})
	if err := root.AddStream("__substg1.0_0037001F", []byte("H\x00i\x00")); err != nil {
		log.Fatal(err)
	}
	att, err := root.AddStorage("__attach_version1.0_#00000000")
	if err != nil {
		log.Fatal(err)
	}
	if err := att.AddStream("__substg1.0_37010102", bytes.Repeat([]byte{0xAB}, 5000)); err != nil {
		log.Fatal(err)
	}
	if err := root.AddStream("__properties_version1.0", make([]byte, 32)); err != nil {
		log.Fatal(err)
	}
	data, err := b.Bytes()
	if err != nil {
		log.Fatal(err)
	}

	f, err := cfb.Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		log.Fatal(err)
	}
	var show func(e *cfb.Entry, indent string)
	show = func(e *cfb.Entry, indent string) {
		if e.IsStorage() {
			fmt.Printf("%s%s/ %v\n", indent, e.Name(), e.CLSID())
		} else {
			fmt.Printf("%s%s (%d bytes)\n", indent, e.Name(), e.Size())
		}
		for _, c := range e.Children() {
			show(c, indent+"  ")
		}
	}
	fmt.Printf("version %d, %d bytes\n", f.Version(), len(data))
	show(f.Root(), "")
	// Output:
	// version 3, 8192 bytes
	// Root Entry/ {00020D0B-0000-0000-C000-000000000046}
	//   __substg1.0_0037001F (4 bytes)
	//   __properties_version1.0 (32 bytes)
	//   __attach_version1.0_#00000000/ {00000000-0000-0000-0000-000000000000}
	//     __substg1.0_37010102 (5000 bytes)
}
