// Command interchain-security-pd is the unmodified ICS v6.4.1 provider daemon, built from this pinned wrapper
// module (see ../main.go for why a wrapper and not `go install`).
package main

import (
	"fmt"
	"os"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"

	appparams "github.com/cosmos/interchain-security/v6/app/params"
	app "github.com/cosmos/interchain-security/v6/app/provider"
	"github.com/cosmos/interchain-security/v6/cmd/interchain-security-pd/cmd"
)

func main() {
	appparams.SetAddressPrefixes("cosmos")
	rootCmd := cmd.NewRootCmd()
	if err := svrcmd.Execute(rootCmd, "", app.DefaultNodeHome); err != nil {
		fmt.Fprintln(rootCmd.OutOrStderr(), err)
		os.Exit(1)
	}
}
