// Command interchain-security-pd is the unmodified ICS v4.2.0 provider daemon, built from this pinned wrapper
// module (see ../main.go for why a wrapper and not `go install`).
package main

import (
	"os"

	"github.com/cosmos/cosmos-sdk/server"
	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"

	appparams "github.com/cosmos/interchain-security/v4/app/params"
	app "github.com/cosmos/interchain-security/v4/app/provider"
	"github.com/cosmos/interchain-security/v4/cmd/interchain-security-pd/cmd"
)

func main() {
	appparams.SetAddressPrefixes("cosmos")
	rootCmd := cmd.NewRootCmd()
	if err := svrcmd.Execute(rootCmd, "", app.DefaultNodeHome); err != nil {
		if code, ok := err.(server.ErrorCode); ok {
			os.Exit(code.Code)
		}
		os.Exit(1)
	}
}
