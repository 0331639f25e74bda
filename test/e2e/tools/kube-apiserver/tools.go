//go:build tools

// Package tools pins the kube-apiserver command so that `go build
// k8s.io/kubernetes/cmd/kube-apiserver` works inside this helper module.
package tools

import _ "k8s.io/kubernetes/cmd/kube-apiserver"
