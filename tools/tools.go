//go:build tools

// Package tools pins the Go-built CLIs stack-elevator's pipelines call (go install reads this module's go.mod).
package tools

import _ "github.com/cloudfoundry/bosh-cli/v7"
