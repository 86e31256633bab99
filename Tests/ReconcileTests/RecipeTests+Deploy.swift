import Foundation
import XCTest
import Yams

/// The deploy recipes that start from zero (examples/deploy, and the apply job of examples/ci/github-workflow.yml):
/// each one's commands run as written, in a scratch copy of an application repository, against the test server.
/// What cannot run here is said where it is skipped: no Render, Heroku, GitHub runner or Kubernetes cluster, no
/// Docker engine. The release tarball they install is one built here in the layout scripts/package writes (the
/// layout is checked against the real tarball by scripts/check-package), holding this build's binary.
extension RecipeTests {
    var deploy: URL { repositoryRoot.appendingPathComponent("examples/deploy") }

    // MARK: - Render

    func testRenderBlueprintInstallsTheTarballAtBuildAndAppliesBeforeDeploy() throws {
        let blueprint = try yamlFile(deploy.appendingPathComponent("render.yaml"))
        let services = try XCTUnwrap(blueprint["services"]?.sequence)
        XCTAssertEqual(services.count, 1)
        let service = services[0]
        let buildCommand = try XCTUnwrap(service["buildCommand"]?.string)
        let preDeploy = try XCTUnwrap(service["preDeployCommand"]?.string)
        XCTAssertEqual(buildCommand, "npm ci && npm run build && examples/deploy/install-reconcile.sh")
        XCTAssertEqual(preDeploy, "examples/ci/release.sh")

        var environment: [String: String] = [:]
        for variable in try XCTUnwrap(service["envVars"]?.sequence) {
            let key = try XCTUnwrap(variable["key"]?.string)
            if let value = variable["value"]?.string { environment[key] = value }
        }
        let database = try XCTUnwrap(service["envVars"]?.sequence?.first { $0["key"]?.string == "DATABASE_URL" })
        XCTAssertEqual(database["fromDatabase"]?["name"]?.string, blueprint["databases"]?[0]?["name"]?.string)
        XCTAssertEqual(environment["RECONCILE"], ".reconcile/bin/reconcile")
        XCTAssertEqual(environment["RECONCILE_SCHEMA"], "schema.yaml")
        XCTAssertEqual(
            environment["RECONCILE_URL"].flatMap { URL(string: $0)?.lastPathComponent },
            "reconcile-\(try releaseVersion())-linux-x86_64.tar.gz", "the URL names this version's tarball")

        let app = try applicationRepository()
        let npm = try fakeTool("npm")
        let tarball = try releaseTarball()

        // As written, the SHA-256 is a placeholder: the build fails and installs nothing.
        let asWritten = environment.merging(["RECONCILE_URL": tarball.url]) { $1 }
        var build = try bash(buildCommand, in: app, environment: asWritten, path: npm.bin)
        XCTAssertEqual(build.exitCode, 1, build.stdout)
        XCTAssertTrue(
            build.stderr.contains(
                "install-reconcile: SHA-256 mismatch for \(tarball.url): expected "
                    + "SHA256-OF-THE-TARBALL-FROM-SHA256SUMS, got \(tarball.sha256); nothing installed\n"), build.stderr
        )
        XCTAssertFalse(FileManager.default.fileExists(atPath: app.appendingPathComponent(".reconcile").path))

        // Filled in: npm's steps, then reconcile in .reconcile/, then the pre-deploy command applies the schema.
        environment["RECONCILE_URL"] = tarball.url
        environment["RECONCILE_SHA256"] = tarball.sha256
        build = try bash(buildCommand, in: app, environment: environment, path: npm.bin)
        XCTAssertEqual(build.exitCode, 0, build.stderr)
        XCTAssertEqual(try npm.calls(), ["ci", "run build", "ci", "run build"], "both builds ran npm's steps first")
        let version = try CLI.run(["--version"]).stdout.trimmingCharacters(in: .newlines)
        XCTAssertEqual(build.stdout, "install-reconcile: installed \(version) to .reconcile/bin/reconcile\n")

        let production = try TestDatabase()
        environment["DATABASE_URL"] = production.url
        let release = try bash(preDeploy, in: app, environment: environment)
        XCTAssertEqual(release.exitCode, 0, release.stderr)
        XCTAssertTrue(
            release.stdout.hasSuffix(
                "Applied 6 steps in one transaction; the database now matches the schema file.\n"), release.stdout)
        XCTAssertEqual(try production.tableNames(), ["public.admin_settings", "public.ai_usage_logs", "public.cases"])
        let again = try bash(preDeploy, in: app, environment: environment)
        XCTAssertEqual(again.stdout, "No changes. The database matches the schema file.\n", again.stderr)
    }

    // MARK: - Heroku

    func testHerokuPostbuildInstallsTheTarballAndTheReleasePhaseApplies() throws {
        let manifestData = try Data(contentsOf: deploy.appendingPathComponent("package.json.example"))
        let manifest = try JSONSerialization.jsonObject(with: manifestData)
        let scripts = try XCTUnwrap((manifest as? [String: Any])?["scripts"] as? [String: String])
        let postbuild = try XCTUnwrap(scripts["heroku-postbuild"])
        XCTAssertEqual(postbuild, "npm run build && examples/deploy/install-reconcile.sh")

        let procfile = try String(contentsOf: recipes.appendingPathComponent("Procfile.example"), encoding: .utf8)
        let releaseLine = try XCTUnwrap(procfile.split(separator: "\n").first { $0.hasPrefix("release: ") })
        let release = releaseLine.dropFirst("release: ".count)
        // The config vars the Procfile's comment tells to set, as `heroku config:set` would (KEY=VALUE words).
        // (a comment, with backslash-continued lines)
        let comment = procfile.split(separator: "\n").filter { $0.hasPrefix("#") }.map { $0.dropFirst() }
            .joined(separator: "\n").replacingOccurrences(of: "\\\n", with: " ")
        let configLine = try XCTUnwrap(comment.split(separator: "\n").first { $0.contains("heroku config:set ") })
        var environment: [String: String] = [:]
        for word in configLine.components(separatedBy: "heroku config:set ")[1].split(separator: " ") {
            let pair = word.split(separator: "=", maxSplits: 1).map(String.init)
            XCTAssertEqual(pair.count, 2, String(configLine))
            environment[pair[0]] = pair[1]
        }
        XCTAssertEqual(
            environment.keys.sorted(),
            ["RECONCILE", "RECONCILE_SCHEMA", "RECONCILE_SHA256", "RECONCILE_URL"])
        XCTAssertEqual(environment["RECONCILE"], ".reconcile/bin/reconcile")

        let app = try applicationRepository()
        let npm = try fakeTool("npm")
        let tarball = try releaseTarball()
        environment["RECONCILE_URL"] = tarball.url
        environment["RECONCILE_SHA256"] = tarball.sha256
        let build = try bash(postbuild, in: app, environment: environment, path: npm.bin)
        XCTAssertEqual(build.exitCode, 0, build.stderr)
        XCTAssertEqual(try npm.calls(), ["run build"])

        let production = try TestDatabase()
        try production.execute(Self.casesSQL)
        environment["DATABASE_URL"] = production.url
        let phase = try bash(String(release), in: app, environment: environment)
        XCTAssertEqual(phase.exitCode, 0, phase.stderr)
        XCTAssertEqual(try production.tableNames(), ["public.admin_settings", "public.ai_usage_logs", "public.cases"])
    }

    // MARK: - Fly.io and other image builds

    func testAppDockerfileInstallsWhereFlyTomlLooksForReconcile() throws {
        let dockerfile = try String(
            contentsOf: deploy.appendingPathComponent("Dockerfile.app.example"),
            encoding: .utf8)
        let install = try XCTUnwrap(
            dockerfile.split(separator: "\n")
                .first { $0.contains("/tmp/install-reconcile.sh &&") })
        let destination = try XCTUnwrap(install.firstMatch(of: /RECONCILE_DEST=(\S+)/)?.1)
        XCTAssertTrue(
            dockerfile.contains("COPY examples/deploy/install-reconcile.sh /tmp/install-reconcile.sh\n"),
            dockerfile)
        XCTAssertTrue(dockerfile.contains("ARG RECONCILE_URL\nARG RECONCILE_SHA256\n"), dockerfile)
        XCTAssertTrue(
            dockerfile.contains("apt-get install -y --no-install-recommends libpq5 curl ca-certificates"),
            dockerfile)

        let fly = try String(contentsOf: recipes.appendingPathComponent("fly.toml.example"), encoding: .utf8)
        XCTAssertTrue(fly.contains("\n  RECONCILE = \"\(destination)/bin/reconcile\"\n"), fly)

        // The image's install step, with its destination moved into the scratch directory (no Docker engine here).
        let tarball = try releaseTarball()
        let root = scratch.appendingPathComponent("image-root")
        let run = try bash(
            #"RECONCILE_DEST="$ROOT$DEST" "$SCRIPT""#, in: scratch,
            environment: [
                "ROOT": root.path, "DEST": String(destination),
                "SCRIPT": deploy.appendingPathComponent("install-reconcile.sh").path,
                "RECONCILE_URL": tarball.url, "RECONCILE_SHA256": tarball.sha256,
            ])
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        let installed = root.appendingPathComponent(String(destination.dropFirst()))
            .appendingPathComponent("bin/reconcile")
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: installed.path), installed.path)
    }

    // MARK: - GitHub Actions: apply on merge

    func testWorkflowApplyJobInstallsFetchesTheReviewedPlanAndApplies() throws {
        let text = try String(contentsOf: recipes.appendingPathComponent("github-workflow.yml"), encoding: .utf8)
        let workflow = try XCTUnwrap(try Yams.compose(yaml: text))
        let on = try XCTUnwrap(workflow.mapping?.first { $0.key.scalar?.string == "on" }?.value)
        XCTAssertEqual(on["push"]?["branches"]?.sequence?.compactMap(\.string), ["main"])
        let job = try XCTUnwrap(workflow["jobs"]?["apply"])
        XCTAssertEqual(job["if"]?.string, "github.event_name == 'push'")
        XCTAssertEqual(workflow["jobs"]?["plan"]?["if"]?.string, "github.event_name == 'pull_request'")
        XCTAssertEqual(job["environment"]?.string, "production")
        XCTAssertEqual(job["concurrency"]?["cancel-in-progress"]?.string, "false")
        let steps = try XCTUnwrap(job["steps"]?.sequence)
        XCTAssertEqual(steps.first?["uses"]?.string, "actions/checkout@v4")
        let runSteps = steps.dropFirst()
        XCTAssertEqual(
            runSteps.map { $0["name"]?.string ?? "" },
            ["Install reconcile from the release tarball", "The plan reviewed in the pull request", "Apply"])

        // The reviewed plan: made against a database in the base branch's state (cases only), as the plan job does.
        let base = try TestDatabase()
        try base.execute(Self.casesSQL)
        let reviewed = scratch.appendingPathComponent("artifact")
        try FileManager.default.createDirectory(at: reviewed, withIntermediateDirectories: true)
        let planned = try CLI.run([
            "--plan", "--schema", schemaPath, "--database-url", base.url,
            "--out", reviewed.appendingPathComponent("plan.json").path,
        ])
        XCTAssertEqual(planned.exitCode, 0, planned.stderr)

        let production = try TestDatabase()
        try production.execute(Self.casesSQL)
        let tarball = try releaseTarball()
        let expressions = [
            "vars.RECONCILE_URL": tarball.url, "vars.RECONCILE_SHA256": tarball.sha256,
            "github.token": "test-token", "secrets.DATABASE_URL": production.url,
        ]
        let gh = try fakeGitHubCLI(artifact: reviewed)
        let app = try applicationRepository()
        let runner = ["GITHUB_REPOSITORY": "acme/shop", "GITHUB_SHA": "abc123merge"]
        var outputs: [String] = []
        for step in runSteps {
            let command = try XCTUnwrap(step["run"]?.string)
            var environment = runner
            for (key, value) in step["env"]?.mapping ?? [:] {
                environment[try XCTUnwrap(key.string)] = try substitute(try XCTUnwrap(value.string), expressions)
            }
            let result = try bash(command, in: app, environment: environment, path: gh.bin)
            XCTAssertEqual(result.exitCode, 0, "\(step["name"]?.string ?? command): \(result.stderr)")
            outputs.append(result.stderr)
        }
        XCTAssertEqual(
            try gh.calls(),
            [
                "api repos/acme/shop/commits/abc123merge/pulls --jq .[0].number // empty",
                "api repos/acme/shop/pulls/42 --jq .head.sha",
                "run list --repo acme/shop --workflow reconcile.yml --commit headsha42 --status success --limit 1 "
                    + "--json databaseId --jq .[0].databaseId // empty",
                "run download 777 --repo acme/shop --name reconcile-plan-pr-42 --dir reviewed",
            ])
        XCTAssertEqual(
            outputs[1],
            "fetch-reviewed-plan: reviewed/plan.json is the plan reviewed in #42 "
                + "(run 777 of reconcile.yml, head headsha42)\n")
        XCTAssertEqual(outputs[2], "release: applying the reviewed plan reviewed/plan.json to match schema.yaml\n")
        XCTAssertEqual(try production.tableNames(), ["public.admin_settings", "public.ai_usage_logs", "public.cases"])

        // A direct push (no pull request): no reviewed plan, and release.sh plans afresh.
        let direct = try bash(
            "examples/ci/fetch-reviewed-plan.sh elsewhere", in: app,
            environment: runner.merging([
                "FAKE_GH_NO_PR": "1", "GH_TOKEN": "test-token",
            ]) { $1 }, path: gh.bin)
        XCTAssertEqual(direct.exitCode, 0, direct.stderr)
        XCTAssertEqual(
            direct.stderr,
            "fetch-reviewed-plan: abc123merge came from no pull request; no reviewed plan "
                + "(release.sh plans afresh)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: app.appendingPathComponent("elsewhere/plan.json").path))
    }

    func testWorkflowIsValidAgainstGitHubsWorkflowSchema() throws {
        // check-jsonschema (PyPI) carries SchemaStore's schema of workflow files, so this needs no network.
        guard let checker = which("check-jsonschema") else {
            throw XCTSkip("check-jsonschema is not installed (pip install check-jsonschema); .ci/run installs it")
        }
        let workflow = recipes.appendingPathComponent("github-workflow.yml")
        let valid = try bash(
            #""$1" --builtin-schema vendor.github-workflows "$2""#, in: scratch,
            arguments: [checker, workflow.path])
        XCTAssertEqual(valid.exitCode, 0, valid.stdout + valid.stderr)
        // The same checker refuses a misspelt key, so a pass above means something.
        let broken = try file(
            "broken.yml",
            try String(contentsOf: workflow, encoding: .utf8)
                .replacingOccurrences(
                    of: "    runs-on: ubuntu-24.04\n    # Holds",
                    with: "    runs_on: ubuntu-24.04\n    # Holds"))
        let refused = try bash(
            #""$1" --builtin-schema vendor.github-workflows "$2""#, in: scratch,
            arguments: [checker, broken])
        XCTAssertNotEqual(refused.exitCode, 0, refused.stdout)
    }

    // MARK: - Kubernetes

    func testKubernetesJobAndInitContainerRunAsWritten() throws {
        let manifests = try String(contentsOf: deploy.appendingPathComponent("kubernetes.yaml"), encoding: .utf8)
        let documents = try Array(Yams.compose_all(yaml: manifests))
        XCTAssertEqual(documents.map { $0["kind"]?.string ?? "" }, ["Job", "Deployment"])
        let job = documents[0]["spec"]?["template"]?["spec"]
        let deployment = documents[1]["spec"]?["template"]?["spec"]
        XCTAssertEqual(job?["restartPolicy"]?.string, "Never")
        let containers = [try XCTUnwrap(job?["containers"]?[0]), try XCTUnwrap(deployment?["initContainers"]?[0])]
        let version = try releaseVersion()

        var argumentLists: [[String]] = []
        for (container, podSpec) in zip(containers, [job, deployment]) {
            XCTAssertEqual(
                container["image"]?.string, "registry.example.com/reconcile:\(version)",
                "the image tag is this version")
            XCTAssertNil(container["command"], "the image's ENTRYPOINT is reconcile; args follow it")
            let env = try XCTUnwrap(container["env"]?.sequence)
            XCTAssertEqual(env.map { $0["name"]?.string ?? "" }, ["DATABASE_URL"])
            XCTAssertEqual(env[0]["valueFrom"]?["secretKeyRef"]?["name"]?.string, "app-db")
            let mount = try XCTUnwrap(container["volumeMounts"]?[0])
            let volume = try XCTUnwrap(
                podSpec?["volumes"]?.sequence?
                    .first { $0["name"]?.string == mount["name"]?.string })
            XCTAssertEqual(volume["configMap"]?["name"]?.string, "app-schema")
            let mountPath = try XCTUnwrap(mount["mountPath"]?.string)
            // `kubectl create configmap app-schema --from-file=schema.yaml` puts the file at MOUNT/schema.yaml.
            let local = scratch.appendingPathComponent("configmap")
            try FileManager.default.createDirectory(at: local, withIntermediateDirectories: true)
            let mounted = local.appendingPathComponent("schema.yaml").path
            if !FileManager.default.fileExists(atPath: mounted) {
                try FileManager.default.copyItem(atPath: schemaPath, toPath: mounted)
            }
            let args = try XCTUnwrap(container["args"]?.sequence?.compactMap(\.string))
            XCTAssertTrue(args.contains("\(mountPath)/schema.yaml"), "\(args)")
            argumentLists.append(
                args.map {
                    $0.hasPrefix(mountPath + "/") ? local.path + $0.dropFirst(mountPath.count) : $0
                })
        }
        XCTAssertEqual(argumentLists[0], argumentLists[1], "the Job and the initContainer run the same command")

        // The Job, then two replicas' initContainers at once: the first applies, the others find nothing to do.
        let database = try TestDatabase()
        let environment = ["DATABASE_URL": database.url]
        let jobRun = try CLI.run(argumentLists[0], environment: environment)
        XCTAssertEqual(jobRun.exitCode, 0, jobRun.stderr)
        XCTAssertEqual(try database.tableNames(), ["public.admin_settings", "public.ai_usage_logs", "public.cases"])

        let fresh = try TestDatabase()
        let pods = try (0..<2).map { _ in try CLI.start(argumentLists[1], environment: ["DATABASE_URL": fresh.url]) }
        let results = pods.map(CLI.finish)
        XCTAssertEqual(results.map(\.exitCode), [0, 0], results.map(\.stderr).joined())
        // The second waits for the first's lock (and may say so), then finds nothing to do.
        let nothingToDo = results.filter { $0.stdout.hasSuffix("No changes. The database matches the schema file.\n") }
        XCTAssertEqual(nothingToDo.count, 1, results.map(\.stdout).joined(separator: "\n--\n"))
        XCTAssertEqual(try fresh.tableNames(), ["public.admin_settings", "public.ai_usage_logs", "public.cases"])
    }

    // MARK: - Cron

    func testCrontabLineRunsAsCronWouldRunIt() throws {
        let crontab = try String(contentsOf: recipes.appendingPathComponent("crontab.example"), encoding: .utf8)
        var environment: [String: String] = [:]
        var command = ""
        for line in crontab.split(separator: "\n") where !line.hasPrefix("#") {
            if let match = line.firstMatch(of: /^([A-Z_]+)=(.*)$/) {
                environment[String(match.1)] = String(match.2)
            } else if let match = line.firstMatch(of: /^(\S+ \S+ \S+ \S+ \S+) (.*)$/) {
                XCTAssertEqual(match.1, "*/15 * * * *")
                command = String(match.2)
            }
        }
        XCTAssertEqual(environment["RECONCILE"], "/usr/local/bin/reconcile", "where the tarball install puts it")
        // Moved to this machine: the binary, the checkout and the schema; the database; a recording alert.
        let alert = try recordingAlert()
        let database = try TestDatabase()
        environment["RECONCILE"] = CLI.executable.path
        environment["RECONCILE_SCHEMA"] = schemaPath
        environment["DATABASE_URL"] = database.url
        environment["RECONCILE_ALERT_CMD"] = alert.command
        command = command.replacingOccurrences(of: "/srv/app/", with: repositoryRoot.path + "/")
            .replacingOccurrences(
                of: "/tmp/reconcile-drift-check.lock",
                with: scratch.appendingPathComponent("lock").path)
        XCTAssertTrue(command.hasPrefix("flock -n "), command)

        XCTAssertEqual(try CLI.run(["--apply", "--schema", schemaPath, "--database-url", database.url]).exitCode, 0)
        // cron runs the line with /bin/sh -c, with the crontab's variables in the environment.
        let inSync = try bash(command, in: scratch, environment: environment, shell: "/bin/sh")
        XCTAssertEqual(inSync.exitCode, 0, inSync.stderr)
        XCTAssertEqual(inSync.stdout + inSync.stderr, "", "cron mails any output")
        XCTAssertFalse(FileManager.default.fileExists(atPath: alert.file))

        try database.execute("DROP INDEX ai_usage_logs_created_at_idx")
        let drift = try bash(command, in: scratch, environment: environment, shell: "/bin/sh")
        XCTAssertEqual(drift.exitCode, 2, drift.stderr)
        XCTAssertTrue(try String(contentsOfFile: alert.file, encoding: .utf8).hasPrefix("Drift: 1 difference"))
    }

    // MARK: - Helpers

    /// BuildInfo.version, read from the source, so the recipes' version numbers follow a release.
    func releaseVersion() throws -> String {
        let source = try String(
            contentsOf: repositoryRoot.appendingPathComponent("Sources/reconcile/BuildInfo.swift"),
            encoding: .utf8)
        return String(try XCTUnwrap(source.firstMatch(of: /static let version = "([^"]+)"/)?.1))
    }

    /// A release tarball in scripts/package's layout (reconcile-VERSION-linux-x86_64/bin/reconcile, BUILD-INFO)
    /// holding the binary under test, as a file:// URL with its SHA-256.
    func releaseTarball() throws -> (url: String, sha256: String) {
        let name = "reconcile-\(try releaseVersion())-linux-x86_64"
        let stage = scratch.appendingPathComponent("tarball-stage")
        let bin = stage.appendingPathComponent("\(name)/bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: bin.appendingPathComponent("reconcile"))
        try FileManager.default.copyItem(at: CLI.executable, to: bin.appendingPathComponent("reconcile"))
        try "reconcile test build\nglibc >= 2.35\n".write(
            to: stage.appendingPathComponent("\(name)/BUILD-INFO"),
            atomically: true, encoding: .utf8)
        let tarball = scratch.appendingPathComponent("\(name).tar.gz")
        let packed = try bash(
            #"tar -czf "$1" -C "$2" "$3" && sha256sum "$1" | cut -d' ' -f1"#, in: scratch,
            arguments: [tarball.path, stage.path, name])
        XCTAssertEqual(packed.exitCode, 0, packed.stderr)
        return ("file://" + tarball.path, packed.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// An application repository with the recipe files at the paths the recipes name, and schema.yaml.
    func applicationRepository() throws -> URL {
        let app = scratch.appendingPathComponent("app-\(UUID().uuidString.prefix(8))")
        for path in [
            "examples/ci/release.sh", "examples/ci/fetch-reviewed-plan.sh",
            "examples/deploy/install-reconcile.sh", "schema.yaml",
        ] {
            let target = app.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: target.deletingLastPathComponent(),
                withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent(path), to: target)
        }
        return app
    }

    /// A stand-in for NAME on PATH that records each call's arguments (one line per call) and succeeds.
    func fakeTool(_ name: String) throws -> (bin: String, calls: () throws -> [String]) {
        let bin = scratch.appendingPathComponent("\(name)-bin").path
        let log = scratch.appendingPathComponent("\(name).calls").path
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try executable(bin + "/" + name, "#!/usr/bin/env bash\necho \"$*\" >> '\(log)'\n")
        return (bin, { try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init) })
    }

    /// A stand-in `gh`: pull request 42 with head headsha42 (none with FAKE_GH_NO_PR), plan run 777, whose artifact
    /// is the folder `artifact`. It answers what the real one prints after --jq; the test pins the exact calls.
    func fakeGitHubCLI(artifact: URL) throws -> (bin: String, calls: () throws -> [String]) {
        let bin = scratch.appendingPathComponent("gh-bin").path
        let log = scratch.appendingPathComponent("gh.calls").path
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try executable(
            bin + "/gh",
            """
            #!/usr/bin/env bash
            echo "$*" >> '\(log)'
            [[ $GH_TOKEN == test-token ]] || { echo "gh: no token" >&2; exit 4; }
            case "$1 $2" in
              "api repos/acme/shop/commits/"*) [[ -n ${FAKE_GH_NO_PR-} ]] || echo 42 ;;
              "api repos/acme/shop/pulls/42") echo headsha42 ;;
              "run list") echo 777 ;;
              "run download") dir=${*: -1}; mkdir -p "$dir" && cp '\(artifact.path)'/* "$dir"/ ;;
              *) echo "gh: unexpected call: $*" >&2; exit 1 ;;
            esac

            """)
        return (bin, { try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init) })
    }

    /// Replaces each `${{ expression }}` with its value; an expression the test does not know fails it.
    func substitute(_ text: String, _ values: [String: String]) throws -> String {
        var result = text
        for match in text.matches(of: /\$\{\{\s*([^}]+?)\s*\}\}/) {
            let value = try XCTUnwrap(values[String(match.1)], "no test value for ${{ \(match.1) }}")
            result = result.replacingOccurrences(of: String(match.0), with: value)
        }
        return result
    }

    func yamlFile(_ url: URL) throws -> Node {
        try XCTUnwrap(try Yams.compose(yaml: String(contentsOf: url, encoding: .utf8)))
    }

    func which(_ tool: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs COMMAND with SHELL -c in DIRECTORY, with the caller's environment minus the recipes' settings, plus
    /// `environment`, and PATH prefixed with `path` (stand-in tools). Extra `arguments` become $1, $2, ...
    func bash(
        _ command: String, in directory: URL, environment: [String: String] = [:], path: String? = nil,
        arguments: [String] = [], shell: String = "/bin/bash"
    ) throws -> ScriptResult {
        var env = ProcessInfo.processInfo.environment.filter { key, _ in
            !(key == "DATABASE_URL" || key.hasPrefix("RECONCILE") || key.hasPrefix("GITHUB_") || key.hasPrefix("GH_")
                || key.hasPrefix("FAKE_"))
        }
        env["NO_COLOR"] = "1"
        if let path { env["PATH"] = path + ":" + (env["PATH"] ?? "/usr/bin:/bin") }
        for (key, value) in environment { env[key] = value }
        let id = UUID().uuidString
        let stdoutPath = scratch.appendingPathComponent("bash.\(id).stdout").path
        let stderrPath = scratch.appendingPathComponent("bash.\(id).stderr").path
        let argv =
            [
                "/bin/bash", "-c", #"cd -- "$1" && shift && exec "$@""#, "bash", directory.path,
                shell, "-c", command, "sh",
            ] + arguments
        let exitCode = try Spawned.run(
            argv, environment: env, stdoutPath: stdoutPath, stderrPath: stderrPath,
            timeout: 180)
        if exitCode == Spawned.timedOut { XCTFail("\(command) did not finish within 180 s") }
        return ScriptResult(
            exitCode: exitCode, stdout: try String(contentsOfFile: stdoutPath, encoding: .utf8),
            stderr: try String(contentsOfFile: stderrPath, encoding: .utf8))
    }
}
