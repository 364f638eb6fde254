// Generated from cf-deployment v44.8.0/cf-deployment.yml by test/support/manifest-profile.ts (profileOf).
// test/unit/cf-profile.test.ts fails when it no longer matches the upstream manifest.
export const profile: unknown = {
  "name": "cf",
  "releases": [
    {
      "name": "binary-buildpack",
      "url": "https://bosh.io/d/github.com/cloudfoundry/binary-buildpack-release?v=1.1.14",
      "version": "1.1.14",
      "sha1": "f9e6145b2b9e2c71a59cbf0572fcb25a99b98c59"
    },
    {
      "name": "bpm",
      "url": "https://bosh.io/d/github.com/cloudfoundry/bpm-release?v=1.4.3",
      "version": "1.4.3",
      "sha1": "ef03d0d3d7a2a01d0df10dd34eab458096909d68"
    },
    {
      "name": "capi",
      "url": "https://bosh.io/d/github.com/cloudfoundry/capi-release?v=1.196.0",
      "version": "1.196.0",
      "sha1": "c85d6a327de62de7962446ae5aa674b8c4b287d7"
    },
    {
      "name": "cf-networking",
      "url": "https://bosh.io/d/github.com/cloudfoundry/cf-networking-release?v=3.54.0",
      "version": "3.54.0",
      "sha1": "bee7bfb108557e941699a09be61771166a6d635c"
    },
    {
      "name": "cf-smoke-tests",
      "url": "https://bosh.io/d/github.com/cloudfoundry/cf-smoke-tests-release?v=42.0.176",
      "version": "42.0.176",
      "sha1": "c98de6ec2ebf6f137939d0887813067ea7c2084f"
    },
    {
      "name": "cflinuxfs4",
      "url": "https://bosh.io/d/github.com/cloudfoundry/cflinuxfs4-release?v=1.190.0",
      "version": "1.190.0",
      "sha1": "f3246ad217e3363250ca0b64a67f4a6ff237a40e"
    },
    {
      "name": "credhub",
      "url": "https://bosh.io/d/github.com/pivotal-cf/credhub-release?v=2.12.94",
      "version": "2.12.94",
      "sha1": "d1da2a8e4046b6b248672755d6beb85ddaa4483f"
    },
    {
      "name": "diego",
      "url": "https://bosh.io/d/github.com/cloudfoundry/diego-release?v=2.105.0",
      "version": "2.105.0",
      "sha1": "2b859378fc80cc983fbc875ebf934d7a3eab66f1"
    },
    {
      "name": "dotnet-core-buildpack",
      "url": "https://bosh.io/d/github.com/cloudfoundry/dotnet-core-buildpack-release?v=2.4.33",
      "version": "2.4.33",
      "sha1": "2b0f1b44aecdf1fad688329b8e1ffdcc451b8991"
    },
    {
      "name": "garden-runc",
      "url": "https://bosh.io/d/github.com/cloudfoundry/garden-runc-release?v=1.60.0",
      "version": "1.60.0",
      "sha1": "1d0ddf47c5d0f2165f24ab4fe62c551e532bb7cf"
    },
    {
      "name": "go-buildpack",
      "url": "https://bosh.io/d/github.com/cloudfoundry/go-buildpack-release?v=1.10.23",
      "version": "1.10.23",
      "sha1": "c6dbd9573fc51ab92cb2f631e9b848e5bb990eec"
    },
    {
      "name": "java-buildpack",
      "url": "https://bosh.io/d/github.com/cloudfoundry/java-buildpack-release?v=4.71.0",
      "version": "4.71.0",
      "sha1": "82356fa16049c360e9287adbe1c82098264dc1fe"
    },
    {
      "name": "loggregator",
      "url": "https://bosh.io/d/github.com/cloudfoundry/loggregator-release?v=107.0.17",
      "version": "107.0.17",
      "sha1": "bba6ece58f146d822a37894c1bdc14b601964ba6"
    },
    {
      "name": "nats",
      "url": "https://bosh.io/d/github.com/cloudfoundry/nats-release?v=56.26.0",
      "version": "56.26.0",
      "sha1": "52d331a0d2d8cb33655a6a1839d47c65f7da0919"
    },
    {
      "name": "nginx-buildpack",
      "url": "https://bosh.io/d/github.com/cloudfoundry/nginx-buildpack-release?v=1.2.19",
      "version": "1.2.19",
      "sha1": "f9c83865ba934c4f232cd97e234dd07577b5b26e"
    },
    {
      "name": "r-buildpack",
      "url": "https://bosh.io/d/github.com/cloudfoundry/r-buildpack-release?v=1.2.15",
      "version": "1.2.15",
      "sha1": "eb7862d246dd85e9d9027d5d3f9e90fe1664345c"
    },
    {
      "name": "nodejs-buildpack",
      "url": "https://bosh.io/d/github.com/cloudfoundry/nodejs-buildpack-release?v=1.8.29",
      "version": "1.8.29",
      "sha1": "b9da829e7ee0ac1210c70860a6f17ebed172afd9"
    },
    {
      "name": "php-buildpack",
      "url": "https://bosh.io/d/github.com/cloudfoundry/php-buildpack-release?v=4.6.24",
      "version": "4.6.24",
      "sha1": "74dfba8d9d2f9f0cb5ba980ecbc1bfb231847cda"
    },
    {
      "name": "pxc",
      "url": "https://bosh.io/d/github.com/cloudfoundry/pxc-release?v=1.0.31",
      "version": "1.0.31",
      "sha1": "e2e951dfe9e374d3715d3156bf1132a4e0ffb2a5"
    },
    {
      "name": "python-buildpack",
      "url": "https://bosh.io/d/github.com/cloudfoundry/python-buildpack-release?v=1.8.29",
      "version": "1.8.29",
      "sha1": "e9bf6abc64e54ab9143861ab5f8798680389e062"
    },
    {
      "name": "routing",
      "url": "https://bosh.io/d/github.com/cloudfoundry/routing-release?v=0.318.0",
      "version": "0.318.0",
      "sha1": "d3e835e3c0a99ec11f9cf42b174ab3cc539c3608"
    },
    {
      "name": "ruby-buildpack",
      "url": "https://bosh.io/d/github.com/cloudfoundry/ruby-buildpack-release?v=1.10.18",
      "version": "1.10.18",
      "sha1": "6bbe14f8f374a42e2220ddc49957b213d1d3d1db"
    },
    {
      "name": "silk",
      "url": "https://bosh.io/d/github.com/cloudfoundry/silk-release?v=3.54.0",
      "version": "3.54.0",
      "sha1": "78578d9ce62dcb8b354f334fc8f20556282700ee"
    },
    {
      "name": "staticfile-buildpack",
      "url": "https://bosh.io/d/github.com/cloudfoundry/staticfile-buildpack-release?v=1.6.17",
      "version": "1.6.17",
      "sha1": "9e9f49090ee388e9ad34246c82b80ad412280937"
    },
    {
      "name": "statsd-injector",
      "url": "https://bosh.io/d/github.com/cloudfoundry/statsd-injector-release?v=1.11.43",
      "version": "1.11.43",
      "sha1": "351aedae5cd3a2279428e1429388f8ad415f99ba"
    },
    {
      "name": "uaa",
      "url": "https://bosh.io/d/github.com/cloudfoundry/uaa-release?v=77.18.0",
      "version": "77.18.0",
      "sha1": "ff2fc735fc9de9eb7168c533c9e81c1650920bba"
    },
    {
      "name": "loggregator-agent",
      "url": "https://bosh.io/d/github.com/cloudfoundry/loggregator-agent-release?v=8.3.0",
      "version": "8.3.0",
      "sha1": "a425e43b561f9df3fed255786424885ae12a5f80"
    },
    {
      "name": "log-cache",
      "url": "https://bosh.io/d/github.com/cloudfoundry/log-cache-release?v=3.1.5",
      "version": "3.1.5",
      "sha1": "d095f5965f5dda9e80d9ea6feba39e51a93e7dcf"
    },
    {
      "name": "bosh-dns-aliases",
      "url": "https://bosh.io/d/github.com/cloudfoundry/bosh-dns-aliases-release?v=0.0.4",
      "version": "0.0.4",
      "sha1": "55b3dced813ff9ed92a05cda02156e4b5604b273"
    },
    {
      "name": "cf-cli",
      "url": "https://bosh.io/d/github.com/bosh-packages/cf-cli-release?v=1.68.0",
      "version": "1.68.0",
      "sha1": "826e54238c4b1b65ebbc9403aba45b7ae9a9d29f"
    }
  ],
  "stemcells": [
    {
      "alias": "default",
      "os": "ubuntu-jammy",
      "version": "1.639"
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
