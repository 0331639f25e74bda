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

package server

// This file is yours: aggen created it once and never overwrites it.

import (
	"k8s.io/apiserver/pkg/admission"

	"github.com/aggen-dev/aggen/examples/insects/pkg/admission/plugin"
)

// registerAdmissionPlugins registers the admission plugins of this server
// and returns their names in the order they run, after the generic ones.
// Each can be turned off with --disable-admission-plugins.
func registerAdmissionPlugins(plugins *admission.Plugins) []string {
	plugin.Register(plugins)
	return []string{plugin.PluginName}
}
