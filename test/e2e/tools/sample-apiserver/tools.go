//go:build tools

// Package tools pins the sample-apiserver command (the module root of
// k8s.io/sample-apiserver is package main).
package tools

import _ "k8s.io/sample-apiserver"
