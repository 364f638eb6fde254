//go:build tools

// Package tools pins actionlint, which the test suite runs on .github/workflows (go install reads this module's go.mod).
package tools

import _ "github.com/rhysd/actionlint/cmd/actionlint"
