// Package insects holds only tests; see main_test.go.
package insects
