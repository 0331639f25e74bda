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

package hive

import (
	"context"

	"k8s.io/apimachinery/pkg/util/validation/field"

	insects "github.com/aggen-dev/aggen/examples/insects/pkg/apis/insects"
)

// This file is yours: aggen created it once and never overwrites it. The
// generated strategy (zz_generated.strategy.go) calls these functions; the
// checks of the Hive schema (the validation markers and CEL rules of
// its types, enforced as kube-apiserver enforces a CRD's) run before the
// validate hooks. Objects are of the internal version of the group.

// prepareForCreate runs before a new Hive is validated and stored, after its status was cleared.
func prepareForCreate(ctx context.Context, obj *insects.Hive) {}

// prepareForUpdate runs before an updated Hive is validated and
// stored; old is the stored object.
func prepareForUpdate(ctx context.Context, obj, old *insects.Hive) {}

// validateCreate adds checks to the schema validation of a new Hive.
func validateCreate(ctx context.Context, obj *insects.Hive) field.ErrorList {
	return nil
}

// validateUpdate adds checks to the schema validation of an updated Hive.
func validateUpdate(ctx context.Context, obj, old *insects.Hive) field.ErrorList {
	return nil
}

// warningsOnCreate returns warnings for the client that creates obj.
func warningsOnCreate(ctx context.Context, obj *insects.Hive) []string {
	return nil
}

// warningsOnUpdate returns warnings for the client that updates obj.
func warningsOnUpdate(ctx context.Context, obj, old *insects.Hive) []string {
	return nil
}
