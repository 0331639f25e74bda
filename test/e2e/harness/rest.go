package harness

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Client is a minimal Kubernetes REST client over net/http. It keeps one
// http.Transport, so connections (HTTP/2 included) are reused across calls.
type Client struct {
	Server string
	HTTP   *http.Client
	// Header is added to every request (X-Remote-User, say); may be nil.
	Header http.Header
	token  string
}

// NewClient builds a Client from resolved kubeconfig data.
func NewClient(kc Kubeconfig) (*Client, error) {
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: kc.Insecure} //nolint:gosec // only when the kubeconfig says so
	if len(kc.CAPEM) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(kc.CAPEM) {
			return nil, errors.New("kubeconfig CA data holds no certificate")
		}
		tlsConf.RootCAs = pool
	}
	if len(kc.CertPEM) > 0 || len(kc.KeyPEM) > 0 {
		cert, err := tls.X509KeyPair(kc.CertPEM, kc.KeyPEM)
		if err != nil {
			return nil, fmt.Errorf("client certificate: %w", err)
		}
		tlsConf.Certificates = []tls.Certificate{cert}
	}
	tr := &http.Transport{
		TLSClientConfig:     tlsConf,
		ForceAttemptHTTP2:   true,
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: 10 * time.Second,
	}
	return &Client{
		Server: strings.TrimRight(kc.Server, "/"),
		HTTP:   &http.Client{Transport: tr, Timeout: 60 * time.Second},
		token:  kc.Token,
	}, nil
}

// NewClientFromKubeconfig loads a kubeconfig file and builds a Client.
func NewClientFromKubeconfig(path string) (*Client, error) {
	kc, err := LoadKubeconfig(path)
	if err != nil {
		return nil, err
	}
	return NewClient(kc)
}

// CloseIdle closes idle connections of the client's transport.
func (c *Client) CloseIdle() { c.HTTP.CloseIdleConnections() }

// Response is a fully read HTTP response.
type Response struct {
	StatusCode int
	Body       []byte
}

// StatusError is returned for an unexpected HTTP status.
type StatusError struct {
	Method, Path string
	StatusCode   int
	Body         string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d: %s", e.Method, e.Path, e.StatusCode, strings.TrimSpace(e.Body))
}

// IsStatus reports whether err is a StatusError with the given code.
func IsStatus(err error, code int) bool {
	var se *StatusError
	return errors.As(err, &se) && se.StatusCode == code
}

// Do sends one request. body may be nil, []byte (sent as is) or any value
// (sent as JSON). Any status is returned without error; only transport
// failures are errors.
func (c *Client) Do(ctx context.Context, method, path string, body any) (*Response, error) {
	var rd io.Reader
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Server+path, rd)
	if err != nil {
		return nil, err
	}
	for k, vs := range c.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("Accept", "application/json")
	if rd != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: read body: %w", method, path, err)
	}
	return &Response{StatusCode: resp.StatusCode, Body: data}, nil
}

// Get fetches path and fails unless the status is 200.
func (c *Client) Get(ctx context.Context, path string) ([]byte, error) {
	resp, err := c.Do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &StatusError{Method: "GET", Path: path, StatusCode: resp.StatusCode, Body: string(resp.Body)}
	}
	return resp.Body, nil
}

// Create POSTs obj to a collection path and fails unless the object was
// created (200/201/202).
func (c *Client) Create(ctx context.Context, collectionPath string, obj any) error {
	resp, err := c.Do(ctx, http.MethodPost, collectionPath, obj)
	if err != nil {
		return err
	}
	switch resp.StatusCode {
	case http.StatusOK, http.StatusCreated, http.StatusAccepted:
		return nil
	}
	return &StatusError{Method: "POST", Path: collectionPath, StatusCode: resp.StatusCode, Body: string(resp.Body)}
}

// Ensure is Create that also accepts 409 AlreadyExists.
func (c *Client) Ensure(ctx context.Context, collectionPath string, obj any) error {
	err := c.Create(ctx, collectionPath, obj)
	if IsStatus(err, http.StatusConflict) {
		return nil
	}
	return err
}

// Delete deletes the object at path; 404 counts as success.
func (c *Client) Delete(ctx context.Context, path string) error {
	resp, err := c.Do(ctx, http.MethodDelete, path, nil)
	if err != nil {
		return err
	}
	switch resp.StatusCode {
	case http.StatusOK, http.StatusAccepted, http.StatusNoContent, http.StatusNotFound:
		return nil
	}
	return &StatusError{Method: "DELETE", Path: path, StatusCode: resp.StatusCode, Body: string(resp.Body)}
}

// Condition is a Kubernetes status condition.
type Condition struct {
	Type    string `json:"type"`
	Status  string `json:"status"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

// APIServiceConditions returns the status conditions of an APIService.
func (c *Client) APIServiceConditions(ctx context.Context, name string) ([]Condition, error) {
	body, err := c.Get(ctx, "/apis/apiregistration.k8s.io/v1/apiservices/"+name)
	if err != nil {
		return nil, err
	}
	var obj struct {
		Status struct {
			Conditions []Condition `json:"conditions"`
		} `json:"status"`
	}
	if err := json.Unmarshal(body, &obj); err != nil {
		return nil, fmt.Errorf("decode APIService %s: %w", name, err)
	}
	return obj.Status.Conditions, nil
}

// WaitForAPIServiceAvailable polls the APIService every 250 ms until its
// Available condition is True or ctx ends; on timeout the error carries the
// last condition seen (its reason and message say why it is not available).
func (c *Client) WaitForAPIServiceAvailable(ctx context.Context, name string) error {
	return waitUntil(ctx, nil, 250*time.Millisecond, "APIService "+name+" Available", func(ctx context.Context) error {
		conds, err := c.APIServiceConditions(ctx, name)
		if err != nil {
			return err
		}
		for _, cond := range conds {
			if cond.Type == "Available" {
				if cond.Status == "True" {
					return nil
				}
				return fmt.Errorf("Available=%s reason=%s: %s", cond.Status, cond.Reason, cond.Message)
			}
		}
		return errNotYet
	})
}
