// Command interchain-security-cd is the unmodified ICS v6.4.1 consumer daemon, built from the same wrapper module
// as the provider so a devnet of this version can run a live consumer chain.
package main

import (
	"fmt"
	"os"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"

	app "github.com/cosmos/interchain-security/v6/app/consumer"
	appparams "github.com/cosmos/interchain-security/v6/app/params"
	"github.com/cosmos/interchain-security/v6/cmd/interchain-security-cd/cmd"
)

func main() {
	appparams.SetAddressPrefixes("consumer")
	rootCmd := cmd.NewRootCmd()
	if err := svrcmd.Execute(rootCmd, "", app.DefaultNodeHome); err != nil {
		fmt.Fprintln(rootCmd.OutOrStderr(), err)
		os.Exit(1)
	}
}
