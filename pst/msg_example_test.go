package pst_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/mapiemu/mapiemu/mapispi"
	"github.com/mapiemu/mapiemu/mapiutil"
	"github.com/mapiemu/mapiemu/pst"
)

// Walk the folder tree of a PST and list each message's subject and
// attachments.
func Example() {
	fh, err := os.Open("testdata/sample1.pst")
	if err != nil {
		panic(err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		panic(err)
	}
	f, err := pst.Open(fh, st.Size(), nil)
	if err != nil {
		panic(err)
	}
	root, err := f.Root()
	if err != nil {
		panic(err)
	}
	var walk func(fo *pst.Folder, depth int)
	walk = func(fo *pst.Folder, depth int) {
		subs, err := fo.Subfolders()
		if err != nil {
			panic(err)
		}
		for _, s := range subs {
			fmt.Printf("%s%s\n", strings.Repeat("  ", depth), s.Name())
			msgs, err := s.Messages()
			if err != nil {
				panic(err)
			}
			for _, m := range msgs {
				c, err := m.Content()
				if err != nil {
					panic(err)
				}
				subject, _ := mapiutil.FindProp(c.Props, mapispi.PropSubject)
				fmt.Printf("%s  message %q\n", strings.Repeat("  ", depth), subject.Value)
				for _, a := range c.Attachments {
					name, _ := mapiutil.FindProp(a.Props, mapispi.PropAttachLongFilename)
					data, _ := mapiutil.FindProp(a.Props, mapispi.PropAttachDataBin)
					fmt.Printf("%s    attachment %s, %d bytes\n", strings.Repeat("  ", depth), name.Value, len(data.Value.([]byte)))
				}
			}
			walk(s, depth+1)
		}
	}
	walk(root, 0)
	// Output:
	// Top of Outlook data file
	//   Deleted Items
	//   Sample1
	//     message "Here is a sample message"
	//       attachment leah_thumper.jpg, 93142 bytes
	// Search Root
	// SPAM Search Folder 2
	// ItemProcSearch
}
