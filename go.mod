module github.com/mapiemu/mapiemu

go 1.25.0

require github.com/google/uuid v1.6.0

require (
	github.com/richardlehane/mscfb v1.0.9
	golang.org/x/text v0.41.0
)

require github.com/richardlehane/msoleps v1.0.3 // indirect

require (
	github.com/davecgh/go-spew v1.1.1 // indirect
	github.com/pmezard/go-difflib v1.0.0 // indirect
	github.com/stretchr/testify v1.11.1
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
