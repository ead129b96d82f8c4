// Command interchain-security-cd is the unmodified ICS v4.2.0 consumer daemon, built from the same wrapper module
// as the provider so a devnet of this version can run a live consumer chain.
package main

import (
	"os"

	"github.com/cosmos/cosmos-sdk/server"
	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"

	app "github.com/cosmos/interchain-security/v4/app/consumer"
	appparams "github.com/cosmos/interchain-security/v4/app/params"
	"github.com/cosmos/interchain-security/v4/cmd/interchain-security-cd/cmd"
)

func main() {
	appparams.SetAddressPrefixes("consumer")
	rootCmd := cmd.NewRootCmd()
	if err := svrcmd.Execute(rootCmd, "", app.DefaultNodeHome); err != nil {
		if code, ok := err.(server.ErrorCode); ok {
			os.Exit(code.Code)
		}
		os.Exit(1)
	}
}
