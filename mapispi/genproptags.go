//go:build ignore

// genproptags writes zproptags.go from proptags.tsv. Run it with
// `go generate ./mapispi/` (see the go:generate line in prop.go).
package main

import (
	"log"
	"os"

	"github.com/mapiemu/mapiemu/mapispi/internal/proptagsgen"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("genproptags: ")
	table, err := os.ReadFile("proptags.tsv")
	if err != nil {
		log.Fatal(err)
	}
	rows, err := proptagsgen.Parse(table)
	if err != nil {
		log.Fatal(err)
	}
	src, err := proptagsgen.Render(rows)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("zproptags.go", src, 0o644); err != nil {
		log.Fatal(err)
	}
}
