// Generated from cf-deployment v58.0.0/cf-deployment.yml by test/support/manifest-profile.ts (profileOf).
// test/unit/cf-profile.test.ts fails when it no longer matches the upstream manifest.
export const profile: unknown = {
  "name": "cf",
  "releases": [
    {
      "name": "binary-buildpack",
      "url": "https://bosh.io/d/github.com/cloudfoundry/binary-buildpack-release?v=2.0.0",
      "version": "2.0.0",
      "sha1": "sha256:908059161309fa69a7132f9d25dc6e95eae1fa9770e593fb55d5afc1a8c99f48"
    },
    {
      "name": "bpm",
      "url": "https://bosh.io/d/github.com/cloudfoundry/bpm-release?v=1.4.33",
      "version": "1.4.33",
      "sha1": "sha256:3d04b7bffc7a3326e7e7d4ccf0795096dd836de2b3d96f1b8c951747767bf3e4"
    },
    {
      "name": "capi",
      "url": "https://bosh.io/d/github.com/cloudfoundry/capi-release?v=1.238.0",
      "version": "1.238.0",
      "sha1": "sha256:253564e50053772a50285ec094f2afc80a1ff3a63ec6e5208aea17908a669606"
    },
    {
      "name": "cf-networking",
      "url": "https://bosh.io/d/github.com/cloudfoundry/cf-networking-release?v=3.116.0",
      "version": "3.116.0",
      "sha1": "sha256:833f3a0661213f8f9d27adf3b74bc324b48b22a1c633e6e6c9ce81792e7e0443"
    },
    {
      "name": "cf-smoke-tests",
      "url": "https://bosh.io/d/github.com/cloudfoundry/cf-smoke-tests-release?v=42.0.265",
      "version": "42.0.265",
      "sha1": "sha256:dc8044a843c49197ec09291ddb76899eceda4f872bc79f1bc2dd501abfae811f"
    },
    {
      "name": "cflinuxfs4",
      "url": "https://bosh.io/d/github.com/cloudfoundry/cflinuxfs4-release?v=1.321.0",
      "version": "1.321.0",
      "sha1": "sha256:9a47c31a806e725bb52d49c5c7b436904c8d1b567986e765a40b60de260ed467"
    },
    {
      "name": "credhub",
      "url": "https://bosh.io/d/github.com/pivotal-cf/credhub-release?v=2.15.11",
      "version": "2.15.11",
      "sha1": "sha256:a4826276de6e0352db2fc004f37c647c3f916905b061087cfae7ea1f7e463d91"
    },
    {
      "name": "diego",
      "url": "https://bosh.io/d/github.com/cloudfoundry/diego-release?v=2.138.0",
      "version": "2.138.0",
      "sha1": "sha256:6b842817d4f1a8fab409c06d119c58546b238f805369f9d608f0dd8d410ac328"
    },
    {
      "name": "dotnet-core-buildpack",
      "url": "https://bosh.io/d/github.com/cloudfoundry/dotnet-core-buildpack-release?v=2.4.51",
      "version": "2.4.51",
      "sha1": "sha256:124e03561e7d86aea3a02702d9f3af13b2c9fa75154285b2f5b5d7c0b197713e"
    },
    {
      "name": "garden-runc",
      "url": "https://bosh.io/d/github.com/cloudfoundry/garden-runc-release?v=1.92.0",
      "version": "1.92.0",
      "sha1": "sha256:5ea3d9b04f545cf4e1401d20911f7040278b13e647af9230369631e0cf30311f"
    },
    {
      "name": "go-buildpack",
      "url": "https://bosh.io/d/github.com/cloudfoundry/go-buildpack-release?v=1.10.47",
      "version": "1.10.47",
      "sha1": "sha256:f63e991d82e164bd5821354bf3efe1f6002505f96546f92681139cfaa2315391"
    },
    {
      "name": "java-buildpack",
      "url": "https://bosh.io/d/github.com/cloudfoundry/java-buildpack-release?v=5.0.4",
      "version": "5.0.4",
      "sha1": "sha256:8c564a42f48f609a5a7c26165c278067c9172fa123f6f616516bc882dec6813e"
    },
    {
      "name": "loggregator",
      "url": "https://bosh.io/d/github.com/cloudfoundry/loggregator-release?v=107.0.31",
      "version": "107.0.31",
      "sha1": "sha256:ba99422fd848d7852464b2e5e49c840b7a2f8b699b33291f324ba57d6f9c10ad"
    },
    {
      "name": "nats",
      "url": "https://bosh.io/d/github.com/cloudfoundry/nats-release?v=57.10.0",
      "version": "57.10.0",
      "sha1": "sha256:2c4f1af71823a9f5f69af7f2d8b981caeca409474a4a4e7f322c8d02dbede388"
    },
    {
      "name": "nginx-buildpack",
      "url": "https://bosh.io/d/github.com/cloudfoundry/nginx-buildpack-release?v=1.2.38",
      "version": "1.2.38",
      "sha1": "sha256:3eeec2f3bcdda5da9400ed4622137189df61a58066bbb3b8404daba9a50a51e7"
    },
    {
      "name": "r-buildpack",
      "url": "https://bosh.io/d/github.com/cloudfoundry/r-buildpack-release?v=1.2.28",
      "version": "1.2.28",
      "sha1": "sha256:3181b16176be9dfde054c7bb2d83943393399e666f4d5fba5d40bf05d3506266"
    },
    {
      "name": "nodejs-buildpack",
      "url": "https://bosh.io/d/github.com/cloudfoundry/nodejs-buildpack-release?v=1.9.2",
      "version": "1.9.2",
      "sha1": "sha256:993210132d9aa10646b77ce55c8135ab9c4a894fa1c562604cdcfed5460bb586"
    },
    {
      "name": "php-buildpack",
      "url": "https://bosh.io/d/github.com/cloudfoundry/php-buildpack-release?v=5.0.6",
      "version": "5.0.6",
      "sha1": "sha256:5a1bb3e0a97f1d8b5c9629cd89fb5dba825dda11c83c8906239f9e76b5151129"
    },
    {
      "name": "pxc",
      "url": "https://bosh.io/d/github.com/cloudfoundry/pxc-release?v=2.0.5",
      "version": "2.0.5",
      "sha1": "sha256:4489c26501014f9c7dce0c8c4e0ef0227a96324569dc73c3c03003b13fcd4778"
    },
    {
      "name": "python-buildpack",
      "url": "https://bosh.io/d/github.com/cloudfoundry/python-buildpack-release?v=1.9.1",
      "version": "1.9.1",
      "sha1": "sha256:79e8218cd832f3b872f6e0d426001ea49fdcdb83a3531124d328786adea70213"
    },
    {
      "name": "routing",
      "url": "https://bosh.io/d/github.com/cloudfoundry/routing-release?v=0.385.0",
      "version": "0.385.0",
      "sha1": "sha256:a1719dc6df04312e1feb6ad343a36ced2cb32deda78504a78e77fc3302ce029d"
    },
    {
      "name": "ruby-buildpack",
      "url": "https://bosh.io/d/github.com/cloudfoundry/ruby-buildpack-release?v=1.11.1",
      "version": "1.11.1",
      "sha1": "sha256:021c9fe0dc231bbb96a1d646f962b75f34f22bd3866d4e7278527c6f6574c9e9"
    },
    {
      "name": "silk",
      "url": "https://bosh.io/d/github.com/cloudfoundry/silk-release?v=3.116.0",
      "version": "3.116.0",
      "sha1": "sha256:878904568c05908736ff101c1f821ecd89abc077a071d1c231f54ae57f873ace"
    },
    {
      "name": "staticfile-buildpack",
      "url": "https://bosh.io/d/github.com/cloudfoundry/staticfile-buildpack-release?v=1.6.38",
      "version": "1.6.38",
      "sha1": "sha256:e06ac967ab62f431e8d8e9c99d8f901d124b685f596f906fd4b11f061f5a108e"
    },
    {
      "name": "statsd-injector",
      "url": "https://bosh.io/d/github.com/cloudfoundry/statsd-injector-release?v=1.11.56",
      "version": "1.11.56",
      "sha1": "sha256:0c1d91a4da6aec45714dd07b9bb346bc424f04309ce345c7043d73da7f829f18"
    },
    {
      "name": "uaa",
      "url": "https://bosh.io/d/github.com/cloudfoundry/uaa-release?v=79.3.0",
      "version": "79.3.0",
      "sha1": "sha256:7cf09f4a48642fcdc897834c1471160c6cdd2e9fe863df690a6806a5616d72e2"
    },
    {
      "name": "loggregator-agent",
      "url": "https://bosh.io/d/github.com/cloudfoundry/loggregator-agent-release?v=8.3.22",
      "version": "8.3.22",
      "sha1": "sha256:ea57231deb938e7c6a980ef3c913c0108dd8e2174bfe4bb8943388a316b4b225"
    },
    {
      "name": "log-cache",
      "url": "https://bosh.io/d/github.com/cloudfoundry/log-cache-release?v=3.2.10",
      "version": "3.2.10",
      "sha1": "sha256:bf56281e55ddb84cae06633ef0655e5c069c1f24b9ee99fdfed5997c345705b3"
    },
    {
      "name": "bosh-dns-aliases",
      "url": "https://bosh.io/d/github.com/cloudfoundry/bosh-dns-aliases-release?v=0.0.4",
      "version": "0.0.4",
      "sha1": "55b3dced813ff9ed92a05cda02156e4b5604b273"
    },
    {
      "name": "cf-cli",
      "url": "https://bosh.io/d/github.com/bosh-packages/cf-cli-release?v=2.8.0",
      "version": "2.8.0",
      "sha1": "sha256:85a4cd354205aff55957d228696048555eee742028516222ab72d0281bbc130b"
    }
  ],
  "stemcells": [
    {
      "alias": "default",
      "os": "ubuntu-noble",
      "version": "1.425"
    }
  ],
  "addons": [
    {
      "name": "loggregator_agent",
      "jobs": [
        {
          "name": "loggregator_agent",
          "release": "loggregator-agent"
        }
      ]
    },
    {
      "name": "forwarder_agent",
      "jobs": [
        {
          "name": "loggr-forwarder-agent",
          "release": "loggregator-agent"
        }
      ]
    },
    {
      "name": "loggr-syslog-agent",
      "jobs": [
        {
          "name": "loggr-syslog-agent",
          "release": "loggregator-agent"
        }
      ]
    },
    {
      "name": "prom_scraper",
      "jobs": [
        {
          "name": "prom_scraper",
          "release": "loggregator-agent"
        }
      ]
    },
    {
      "name": "bpm",
      "jobs": [
        {
          "name": "bpm",
          "release": "bpm"
        }
      ]
    },
    {
      "name": "bosh-dns-aliases",
      "jobs": [
        {
          "name": "bosh-dns-aliases",
          "release": "bosh-dns-aliases",
          "properties": {
            "aliases": [
              {
                "domain": "_.cell.service.cf.internal",
                "targets": [
                  {
                    "query": "_",
                    "instance_group": "diego-cell",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  },
                  {
                    "query": "_",
                    "instance_group": "windows2019-cell",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  },
                  {
                    "query": "_",
                    "instance_group": "isolated-diego-cell",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              },
              {
                "domain": "auctioneer.service.cf.internal",
                "targets": [
                  {
                    "query": "q-s4",
                    "instance_group": "scheduler",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              },
              {
                "domain": "bbs.service.cf.internal",
                "targets": [
                  {
                    "query": "q-s4",
                    "instance_group": "diego-api",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              },
              {
                "domain": "blobstore.service.cf.internal",
                "targets": [
                  {
                    "query": "*",
                    "instance_group": "singleton-blobstore",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              },
              {
                "domain": "cc-uploader.service.cf.internal",
                "targets": [
                  {
                    "query": "*",
                    "instance_group": "api",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              },
              {
                "domain": "cloud-controller-ng.service.cf.internal",
                "targets": [
                  {
                    "query": "*",
                    "instance_group": "api",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              },
              {
                "domain": "credhub.service.cf.internal",
                "targets": [
                  {
                    "query": "*",
                    "instance_group": "credhub",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              },
              {
                "domain": "doppler.service.cf.internal",
                "targets": [
                  {
                    "query": "*",
                    "instance_group": "doppler",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              },
              {
                "domain": "file-server.service.cf.internal",
                "targets": [
                  {
                    "query": "*",
                    "instance_group": "api",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              },
              {
                "domain": "gorouter.service.cf.internal",
                "targets": [
                  {
                    "query": "*",
                    "instance_group": "router",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              },
              {
                "domain": "locket.service.cf.internal",
                "targets": [
                  {
                    "query": "*",
                    "instance_group": "diego-api",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              },
              {
                "domain": "loggregator-trafficcontroller.service.cf.internal",
                "targets": [
                  {
                    "query": "*",
                    "instance_group": "log-api",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              },
              {
                "domain": "policy-server.service.cf.internal",
                "targets": [
                  {
                    "query": "*",
                    "instance_group": "api",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              },
              {
                "domain": "reverse-log-proxy.service.cf.internal",
                "targets": [
                  {
                    "query": "*",
                    "instance_group": "log-api",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              },
              {
                "domain": "routing-api.service.cf.internal",
                "targets": [
                  {
                    "query": "*",
                    "instance_group": "api",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              },
              {
                "domain": "silk-controller.service.cf.internal",
                "targets": [
                  {
                    "query": "*",
                    "instance_group": "diego-api",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              },
              {
                "domain": "sql-db.service.cf.internal",
                "targets": [
                  {
                    "query": "*",
                    "instance_group": "database",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              },
              {
                "domain": "ssh-proxy.service.cf.internal",
                "targets": [
                  {
                    "query": "*",
                    "instance_group": "scheduler",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              },
              {
                "domain": "tps.service.cf.internal",
                "targets": [
                  {
                    "query": "*",
                    "instance_group": "scheduler",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              },
              {
                "domain": "uaa.service.cf.internal",
                "targets": [
                  {
                    "query": "*",
                    "instance_group": "uaa",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              },
              {
                "domain": "nats.service.cf.internal",
                "targets": [
                  {
                    "query": "*",
                    "instance_group": "nats",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              },
              {
                "domain": "_.nats.service.cf.internal",
                "targets": [
                  {
                    "query": "_",
                    "instance_group": "nats",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              },
              {
                "domain": "log-cache.service.cf.internal",
                "targets": [
                  {
                    "query": "*",
                    "instance_group": "log-cache",
                    "deployment": "cf",
                    "network": "default",
                    "domain": "bosh"
                  }
                ]
              }
            ]
          }
        }
      ]
    }
  ],
  "instance_groups": [
    {
      "name": "smoke-tests",
      "azs": [
        "z1"
      ],
      "instances": 1,
      "networks": [
        {
          "name": "default"
        }
      ],
      "stemcell": "default",
      "jobs": [
        {
          "name": "smoke_tests",
          "release": "cf-smoke-tests"
        },
        {
          "name": "cf-cli-8-linux",
          "release": "cf-cli"
        }
      ]
    },
    {
      "name": "nats",
      "azs": [
        "z1",
        "z2"
      ],
      "instances": 2,
      "networks": [
        {
          "name": "default"
        }
      ],
      "stemcell": "default",
      "jobs": [
        {
          "name": "nats-tls",
          "release": "nats"
        }
      ]
    },
    {
      "name": "database",
      "azs": [
        "z1"
      ],
      "instances": 1,
      "networks": [
        {
          "name": "default"
        }
      ],
      "stemcell": "default",
      "jobs": [
        {
          "name": "pxc-mysql",
          "release": "pxc"
        },
        {
          "name": "proxy",
          "release": "pxc"
        },
        {
          "name": "galera-agent",
          "release": "pxc"
        },
        {
          "name": "gra-log-purger",
          "release": "pxc"
        },
        {
          "name": "cluster-health-logger",
          "release": "pxc"
        },
        {
          "name": "route_registrar",
          "release": "routing"
        },
        {
          "name": "bootstrap",
          "release": "pxc"
        }
      ]
    },
    {
      "name": "diego-api",
      "azs": [
        "z1",
        "z2"
      ],
      "instances": 2,
      "networks": [
        {
          "name": "default"
        }
      ],
      "stemcell": "default",
      "jobs": [
        {
          "name": "cfdot",
          "release": "diego"
        },
        {
          "name": "bbs",
          "release": "diego"
        },
        {
          "name": "silk-controller",
          "release": "silk"
        },
        {
          "name": "locket",
          "release": "diego"
        },
        {
          "name": "loggr-udp-forwarder",
          "release": "loggregator-agent"
        }
      ]
    },
    {
      "name": "uaa",
      "azs": [
        "z1",
        "z2"
      ],
      "instances": 2,
      "networks": [
        {
          "name": "default"
        }
      ],
      "stemcell": "default",
      "jobs": [
        {
          "name": "uaa",
          "release": "uaa"
        },
        {
          "name": "route_registrar",
          "release": "routing"
        },
        {
          "name": "statsd_injector",
          "release": "statsd-injector"
        }
      ]
    },
    {
      "name": "singleton-blobstore",
      "azs": [
        "z1"
      ],
      "instances": 1,
      "networks": [
        {
          "name": "default"
        }
      ],
      "stemcell": "default",
      "jobs": [
        {
          "name": "blobstore",
          "release": "capi"
        },
        {
          "name": "route_registrar",
          "release": "routing"
        }
      ]
    },
    {
      "name": "api",
      "azs": [
        "z1",
        "z2"
      ],
      "instances": 2,
      "networks": [
        {
          "name": "default"
        }
      ],
      "stemcell": "default",
      "jobs": [
        {
          "name": "valkey",
          "release": "capi"
        },
        {
          "name": "cloud_controller_ng",
          "release": "capi",
          "properties": {
            "cc": {
              "stacks": [
                {
                  "name": "cflinuxfs4",
                  "description": "Cloud Foundry Linux-based filesystem (Ubuntu 22.04)"
                }
              ],
              "diego": {
                "lifecycle_bundles": {
                  "buildpack/cflinuxfs4": "buildpack_app_lifecycle/buildpack_app_lifecycle.tgz",
                  "buildpack/windows": "buildpack_app_lifecycle/buildpack_app_lifecycle.tgz",
                  "docker": "docker_app_lifecycle/docker_app_lifecycle.tgz",
                  "cnb/cflinuxfs4": "cnb_app_lifecycle/cnb_app_lifecycle.tgz"
                },
                "droplet_destinations": {
                  "cflinuxfs4": "/home/vcap",
                  "windows": "/Users/vcap"
                }
              }
            }
          }
        },
        {
          "name": "binary-buildpack",
          "release": "binary-buildpack"
        },
        {
          "name": "dotnet-core-buildpack",
          "release": "dotnet-core-buildpack"
        },
        {
          "name": "go-buildpack",
          "release": "go-buildpack"
        },
        {
          "name": "java-buildpack",
          "release": "java-buildpack"
        },
        {
          "name": "nodejs-buildpack",
          "release": "nodejs-buildpack"
        },
        {
          "name": "nginx-buildpack",
          "release": "nginx-buildpack"
        },
        {
          "name": "r-buildpack",
          "release": "r-buildpack"
        },
        {
          "name": "php-buildpack",
          "release": "php-buildpack"
        },
        {
          "name": "python-buildpack",
          "release": "python-buildpack"
        },
        {
          "name": "ruby-buildpack",
          "release": "ruby-buildpack"
        },
        {
          "name": "staticfile-buildpack",
          "release": "staticfile-buildpack"
        },
        {
          "name": "route_registrar",
          "release": "routing"
        },
        {
          "name": "statsd_injector",
          "release": "statsd-injector"
        },
        {
          "name": "file_server",
          "release": "diego"
        },
        {
          "name": "routing-api",
          "release": "routing"
        },
        {
          "name": "policy-server",
          "release": "cf-networking"
        },
        {
          "name": "policy-server-internal",
          "release": "cf-networking"
        },
        {
          "name": "policy-server-asg-syncer",
          "release": "cf-networking"
        },
        {
          "name": "cc_uploader",
          "release": "capi"
        },
        {
          "name": "loggr-udp-forwarder",
          "release": "loggregator-agent"
        }
      ]
    },
    {
      "name": "cc-worker",
      "azs": [
        "z1",
        "z2"
      ],
      "instances": 2,
      "networks": [
        {
          "name": "default"
        }
      ],
      "stemcell": "default",
      "jobs": [
        {
          "name": "cloud_controller_worker",
          "release": "capi",
          "properties": {
            "cc": {
              "diego": {
                "lifecycle_bundles": {
                  "buildpack/cflinuxfs4": "buildpack_app_lifecycle/buildpack_app_lifecycle.tgz",
                  "buildpack/windows": "buildpack_app_lifecycle/buildpack_app_lifecycle.tgz",
                  "docker": "docker_app_lifecycle/docker_app_lifecycle.tgz",
                  "cnb/cflinuxfs4": "cnb_app_lifecycle/cnb_app_lifecycle.tgz"
                },
                "droplet_destinations": {
                  "cflinuxfs4": "/home/vcap",
                  "windows": "/Users/vcap"
                }
              }
            }
          }
        },
        {
          "name": "loggr-udp-forwarder",
          "release": "loggregator-agent"
        }
      ]
    },
    {
      "name": "scheduler",
      "azs": [
        "z1",
        "z2"
      ],
      "instances": 2,
      "networks": [
        {
          "name": "default"
        }
      ],
      "stemcell": "default",
      "jobs": [
        {
          "name": "cfdot",
          "release": "diego"
        },
        {
          "name": "auctioneer",
          "release": "diego"
        },
        {
          "name": "cloud_controller_clock",
          "release": "capi",
          "properties": {
            "cc": {
              "diego": {
                "lifecycle_bundles": {
                  "buildpack/cflinuxfs4": "buildpack_app_lifecycle/buildpack_app_lifecycle.tgz",
                  "buildpack/windows": "buildpack_app_lifecycle/buildpack_app_lifecycle.tgz",
                  "docker": "docker_app_lifecycle/docker_app_lifecycle.tgz",
                  "cnb/cflinuxfs4": "cnb_app_lifecycle/cnb_app_lifecycle.tgz"
                },
                "droplet_destinations": {
                  "cflinuxfs4": "/home/vcap",
                  "windows": "/Users/vcap"
                }
              }
            }
          }
        },
        {
          "name": "cc_deployment_updater",
          "release": "capi",
          "properties": {
            "cc": {
              "diego": {
                "lifecycle_bundles": {
                  "buildpack/cflinuxfs4": "buildpack_app_lifecycle/buildpack_app_lifecycle.tgz",
                  "buildpack/windows": "buildpack_app_lifecycle/buildpack_app_lifecycle.tgz",
                  "docker": "docker_app_lifecycle/docker_app_lifecycle.tgz",
                  "cnb/cflinuxfs4": "cnb_app_lifecycle/cnb_app_lifecycle.tgz"
                },
                "droplet_destinations": {
                  "cflinuxfs4": "/home/vcap",
                  "windows": "/Users/vcap"
                }
              }
            }
          }
        },
        {
          "name": "service-discovery-controller",
          "release": "cf-networking"
        },
        {
          "name": "statsd_injector",
          "release": "statsd-injector"
        },
        {
          "name": "tps",
          "release": "capi"
        },
        {
          "name": "ssh_proxy",
          "release": "diego"
        },
        {
          "name": "loggr-syslog-binding-cache",
          "release": "loggregator-agent"
        },
        {
          "name": "loggr-udp-forwarder",
          "release": "loggregator-agent"
        }
      ]
    },
    {
      "name": "router",
      "azs": [
        "z1",
        "z2"
      ],
      "instances": 2,
      "networks": [
        {
          "name": "default"
        }
      ],
      "stemcell": "default",
      "jobs": [
        {
          "name": "gorouter",
          "release": "routing"
        },
        {
          "name": "loggr-udp-forwarder",
          "release": "loggregator-agent"
        }
      ]
    },
    {
      "name": "tcp-router",
      "azs": [
        "z1",
        "z2"
      ],
      "instances": 2,
      "networks": [
        {
          "name": "default"
        }
      ],
      "stemcell": "default",
      "jobs": [
        {
          "name": "tcp_router",
          "release": "routing"
        },
        {
          "name": "loggr-udp-forwarder",
          "release": "loggregator-agent"
        }
      ]
    },
    {
      "name": "log-cache",
      "azs": [
        "z1",
        "z2"
      ],
      "instances": 1,
      "networks": [
        {
          "name": "default"
        }
      ],
      "stemcell": "default",
      "jobs": [
        {
          "name": "log-cache",
          "release": "log-cache"
        },
        {
          "name": "log-cache-gateway",
          "release": "log-cache"
        },
        {
          "name": "log-cache-syslog-server",
          "release": "log-cache"
        },
        {
          "name": "route_registrar",
          "release": "routing"
        },
        {
          "name": "log-cache-cf-auth-proxy",
          "release": "log-cache"
        }
      ]
    },
    {
      "name": "doppler",
      "azs": [
        "z1",
        "z2"
      ],
      "instances": 3,
      "networks": [
        {
          "name": "default"
        }
      ],
      "stemcell": "default",
      "jobs": [
        {
          "name": "doppler",
          "release": "loggregator"
        }
      ]
    },
    {
      "name": "diego-cell",
      "azs": [
        "z1",
        "z2"
      ],
      "instances": 3,
      "networks": [
        {
          "name": "default"
        }
      ],
      "stemcell": "default",
      "jobs": [
        {
          "name": "bosh-dns-adapter",
          "release": "cf-networking"
        },
        {
          "name": "cflinuxfs4-rootfs-setup",
          "release": "cflinuxfs4"
        },
        {
          "name": "garden",
          "release": "garden-runc"
        },
        {
          "name": "rep",
          "release": "diego",
          "properties": {
            "diego": {
              "rep": {
                "preloaded_rootfses": [
                  "cflinuxfs4:/var/vcap/packages/cflinuxfs4/rootfs.tar"
                ]
              }
            }
          }
        },
        {
          "name": "cfdot",
          "release": "diego"
        },
        {
          "name": "route_emitter",
          "release": "diego"
        },
        {
          "name": "garden-cni",
          "release": "cf-networking"
        },
        {
          "name": "netmon",
          "release": "silk"
        },
        {
          "name": "vxlan-policy-agent",
          "release": "silk"
        },
        {
          "name": "silk-daemon",
          "release": "silk"
        },
        {
          "name": "silk-cni",
          "release": "silk"
        },
        {
          "name": "silk-datastore-syncer",
          "release": "silk"
        },
        {
          "name": "loggr-udp-forwarder",
          "release": "loggregator-agent"
        }
      ]
    },
    {
      "name": "log-api",
      "azs": [
        "z1",
        "z2"
      ],
      "instances": 2,
      "networks": [
        {
          "name": "default"
        }
      ],
      "stemcell": "default",
      "jobs": [
        {
          "name": "loggregator_trafficcontroller",
          "release": "loggregator"
        },
        {
          "name": "reverse_log_proxy",
          "release": "loggregator"
        },
        {
          "name": "reverse_log_proxy_gateway",
          "release": "loggregator"
        },
        {
          "name": "route_registrar",
          "release": "routing"
        }
      ]
    },
    {
      "name": "credhub",
      "azs": [
        "z1",
        "z2"
      ],
      "instances": 2,
      "networks": [
        {
          "name": "default"
        }
      ],
      "stemcell": "default",
      "jobs": [
        {
          "name": "credhub",
          "release": "credhub"
        }
      ]
    },
    {
      "name": "rotate-cc-database-key",
      "azs": [
        "z1"
      ],
      "instances": 1,
      "networks": [
        {
          "name": "default"
        }
      ],
      "stemcell": "default",
      "jobs": [
        {
          "name": "rotate_cc_database_key",
          "release": "capi"
        }
      ]
    }
  ]
};
