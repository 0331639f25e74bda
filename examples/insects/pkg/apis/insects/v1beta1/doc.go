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
// Package v1beta1 is version v1beta1 of API group insects.example.com.
//
// +k8s:deepcopy-gen=package
// +k8s:conversion-gen=github.com/aggen-dev/aggen/examples/insects/pkg/apis/insects
// +k8s:defaulter-gen=TypeMeta
// +k8s:openapi-gen=true
// +k8s:openapi-model-package=com.github.aggen-dev.aggen.examples.insects.pkg.apis.insects.v1beta1
// +groupName=insects.example.com
package v1beta1
