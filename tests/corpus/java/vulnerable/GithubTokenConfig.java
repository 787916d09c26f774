// expect: secret-github-token
package com.example.integrations;

import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;

public class GithubClient {
    private static final String TOKEN = "ghp_FAKEfake0123456789FAKEfake0123456789";

    public static GitHub connect() throws Exception {
        return new GitHubBuilder().withOAuthToken(TOKEN).build();
    }
}
