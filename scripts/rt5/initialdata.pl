# RT initialdata for the cowapp RT5 test server.
# Loaded once by scripts/rt5/rt5-up.sh via:
#   rt-setup-database-5 --action insert --datafile scripts/rt5/initialdata.pl
# Env:
#   COWAPP_RT_TOKEN_FILE  (required) where @Final writes the REST2 auth token string
#   COWAPP_RT_PASSWORD    password for user "cowapp" (Basic auth), default cowapp-test-pw
use strict;
use warnings;

our (@Users, @Queues, @CustomFields, @ACL, @Final);

my @queues = ('Cart', 'Werkplekbeheer');

@Users = (
    {
        Name         => 'cowapp',
        RealName     => 'cowapp test client',
        EmailAddress => 'cowapp@localhost',
        Privileged   => 1,
        Password     => ($ENV{COWAPP_RT_PASSWORD} || 'cowapp-test-pw'),
        Comments     => 'Service account for the cowapp RT5 integration tests',
    },
);

@Queues = (
    {
        Name              => 'Cart',
        Description       => 'Hospital IT carts (cowapp)',
        CorrespondAddress => '',
        CommentAddress    => '',
    },
    {
        Name              => 'Werkplekbeheer',
        Description       => 'Escalation target for cowapp issues',
        CorrespondAddress => '',
        CommentAddress    => '',
    },
);

@CustomFields = (
    {
        Name         => 'External ID',
        Description  => 'cowapp issue UUID (exactly-once key)',
        Type         => 'FreeformSingle',
        LookupType   => 'RT::Queue-RT::Ticket',
        UniqueValues => 1,
        ApplyTo      => [@queues],
    },
    {
        Name        => 'Cart',
        Description => 'Cart identifier',
        Type        => 'FreeformSingle',
        LookupType  => 'RT::Queue-RT::Ticket',
        ApplyTo     => [@queues],
    },
    {
        Name        => 'Category',
        Description => 'cowapp issue category',
        Type        => 'FreeformSingle',
        LookupType  => 'RT::Queue-RT::Ticket',
        ApplyTo     => [@queues],
    },
);

# Queue-level grants; custom-field rights granted on a queue apply to the
# CFs of that queue's tickets (CF ContextObject = ticket/queue).
my @rights = qw(
    SeeQueue ShowTicket CreateTicket ModifyTicket
    CommentOnTicket ReplyToTicket ShowTicketComments ShowOutgoingEmail
    OwnTicket TakeTicket StealTicket ReassignTicket Watch
    SeeCustomField ModifyCustomField SetInitialCustomField
);
@ACL = map { +{ UserId => 'cowapp', Queue => $_, Right => [@rights] } } @queues;

@Final = (
    sub {
        my $file = $ENV{COWAPP_RT_TOKEN_FILE}
            or die "COWAPP_RT_TOKEN_FILE is not set\n";
        my $user = RT::User->new(RT->SystemUser);
        $user->Load('cowapp');
        die "user cowapp not found\n" unless $user->Id;
        my $token = RT::AuthToken->new(RT->SystemUser);
        my ($id, $msg, $authstring) = $token->Create(
            Owner       => $user->Id,
            Description => 'cowapp integration tests',
        );
        die "AuthToken create failed: $msg\n" unless $id && $authstring;
        my $tmp = "$file.tmp.$$";
        open(my $fh, '>', $tmp) or die "cannot write $tmp: $!\n";
        print $fh "$authstring\n";
        close($fh) or die "cannot close $tmp: $!\n";
        chmod 0644, $tmp;
        rename($tmp, $file) or die "cannot rename $tmp to $file: $!\n";
        RT->Logger->info("cowapp auth token #$id written to $file");
    },
);

1;
