/*
Copyright 2026 The aggen Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

package apiserver

// This file is yours: aggen created it once and never overwrites it.

// ExtraConfig holds configuration of your own that the server needs.
type ExtraConfig struct{}

// customize runs after every generated API group is installed: add
// post-start hooks, health checks or hand-written APIs to
// s.GenericAPIServer here.
func customize(c CompletedConfig, s *Server) error {
	return nil
}
