package signin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ErrUnknownRefreshToken means HubSpot did not know the refresh token: it was
// already revoked, or the app was uninstalled.
var ErrUnknownRefreshToken = errors.New("HubSpot does not know this refresh token (already revoked, or the app was uninstalled)")

// Revoke revokes an OAuth refresh token (DELETE /oauth/v1/refresh-tokens/{token}).
// HubSpot keeps already-issued access tokens valid until they expire (at
// most 30 minutes). The token never appears in the returned error.
func Revoke(ctx context.Context, hc *http.Client, apiBaseURL, refreshToken string) error {
	if refreshToken == "" {
		return errors.New("no refresh token to revoke")
	}
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	if apiBaseURL == "" {
		apiBaseURL = "https://api.hubapi.com"
	}
	u := strings.TrimRight(apiBaseURL, "/") + "/oauth/v1/refresh-tokens/" + url.PathEscape(refreshToken)
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, u, nil)
	if err != nil {
		return scrub(fmt.Errorf("cannot build the revoke request: %w", err), refreshToken)
	}
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its URL holds the token
		}
		return scrub(fmt.Errorf("cannot reach HubSpot to revoke the sign-in: %w", err), refreshToken)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusNoContent, http.StatusOK:
		return nil
	case http.StatusNotFound, http.StatusBadRequest:
		return ErrUnknownRefreshToken
	default:
		return fmt.Errorf("HubSpot answered %d to the revoke request", resp.StatusCode)
	}
}
