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

// Package plugin is the admission plugin of the insects server.
//
// This file is yours: aggen created it once and never overwrites it.
package plugin

import (
	"context"
	"io"

	"k8s.io/apiserver/pkg/admission"

	"github.com/aggen-dev/aggen/examples/insects/pkg/admission/initializer"
)

// PluginName is the name of the plugin in --enable-admission-plugins and
// --disable-admission-plugins.
const PluginName = "Insects"

// Register adds the plugin to plugins.
func Register(plugins *admission.Plugins) {
	plugins.Register(PluginName, func(config io.Reader) (admission.Interface, error) {
		return New()
	})
}

// Plugin is a mutating and validating admission plugin for creates and
// updates of this server's objects, the shape of k8s.io/sample-apiserver's
// BanFlunder. As scaffolded it admits everything unchanged.
type Plugin struct {
	*admission.Handler
	informers initializer.InformerFactory
}

var _ admission.MutationInterface = &Plugin{}
var _ admission.ValidationInterface = &Plugin{}
var _ initializer.WantsInformerFactory = &Plugin{}

// New returns the plugin, handling creates and updates: a check made on
// create only would let an update bring about what it forbids.
func New() (*Plugin, error) {
	return &Plugin{Handler: admission.NewHandler(admission.Create, admission.Update)}, nil
}

// SetInformerFactory receives the generated shared informers. To read
// objects, take a lister here, for example
//
//	informer, err := f.ForResource(schema.GroupVersionResource{...})
//	p.lister = informer.Lister()
//	p.SetReadyFunc(informer.Informer().HasSynced)
//
// and use it in Admit or Validate after p.WaitForReady().
func (p *Plugin) SetInformerFactory(f initializer.InformerFactory) {
	p.informers = f
}

// ValidateInitialization implements admission.InitializationValidator.
// Return an error here when something the plugin needs was not set.
func (p *Plugin) ValidateInitialization() error {
	return nil
}

// Admit implements admission.MutationInterface. It runs in the mutating
// phase, before validation, and may change a.GetObject(): set defaults
// that depend on other objects, say, or refuse early (return
// admission.NewForbidden(a, err)). An object of this server arrives in
// its internal version (pkg/apis/<group>).
func (p *Plugin) Admit(ctx context.Context, a admission.Attributes, o admission.ObjectInterfaces) error {
	return nil
}

// Validate implements admission.ValidationInterface. It runs after every
// mutating plugin, on the object as it will be stored, and must not
// change it.
func (p *Plugin) Validate(ctx context.Context, a admission.Attributes, o admission.ObjectInterfaces) error {
	return nil
}
